//! Searching the loaded mailboxes by name and address, and the row window of the
//! virtualised list that shows them.
//!
//! Organizations have tens of thousands of mailboxes, so the index folds each mailbox's
//! text once, and a search is then a substring scan of short folded strings.

use std::ops::Range;

use crate::browse::Mailbox;

/// A search index over mailboxes' names and email addresses, in load order.
#[derive(Debug, Clone, Default)]
pub struct MailboxIndex {
    /// Per mailbox, the folded name and the folded email joined by a line feed. Query
    /// terms are split at whitespace, so no term can match across the line feed.
    haystacks: Vec<Box<str>>,
}

impl MailboxIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds an index of `mailboxes`.
    pub fn build(mailboxes: &[Mailbox]) -> Self {
        let mut index = Self::new();
        index.append(mailboxes);
        index
    }

    /// Adds a page of mailboxes after the ones already indexed, so their indices continue
    /// from [`Self::len`].
    pub fn append(&mut self, mailboxes: &[Mailbox]) {
        self.haystacks.reserve(mailboxes.len());
        for mailbox in mailboxes {
            let mut haystack = fold(&mailbox.name);
            haystack.push('\n');
            haystack.push_str(&fold(&mailbox.email));
            self.haystacks.push(haystack.into_boxed_str());
        }
    }

    /// The number of indexed mailboxes.
    pub fn len(&self) -> usize {
        self.haystacks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.haystacks.is_empty()
    }

    /// Finds the mailboxes that contain every whitespace-separated term of `query` in their
    /// name or email address, ignoring case and the diacritics of Latin letters. Returns
    /// their indices in load order, or all indices when the query has no terms.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let folded_query = fold(query);
        let terms: Vec<&str> = folded_query.split_whitespace().collect();
        if terms.is_empty() {
            return (0..self.haystacks.len()).collect();
        }
        self.haystacks
            .iter()
            .enumerate()
            .filter(|(_, haystack)| terms.iter().all(|term| haystack.contains(term)))
            .map(|(index, _)| index)
            .collect()
    }
}

/// Folds text for matching: Unicode lowercase, with Latin letters stripped of diacritics
/// (`Zoë` → `zoe`, `Łukasz` → `lukasz`, `Straße` → `strasse`). Other scripts are only
/// lowercased.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }

    let mut folded = String::with_capacity(text.len());
    // Combining marks (as in a decomposed "e\u{308}") are dropped only after a Latin
    // letter, so marks that other scripts need are kept.
    let mut after_latin_letter = false;
    for original in text.chars() {
        for lower in original.to_lowercase() {
            if after_latin_letter && is_combining_diacritic(lower) {
                continue;
            }
            if lower.is_ascii() {
                folded.push(lower);
                after_latin_letter = lower.is_ascii_alphabetic();
            } else if let Some(base) = latin_base(lower) {
                folded.push_str(base);
                after_latin_letter = true;
            } else {
                folded.push(lower);
                after_latin_letter = false;
            }
        }
    }
    folded
}

/// The Combining Diacritical Marks block, U+0300 to U+036F.
fn is_combining_diacritic(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Maps a lowercase Latin letter with diacritics to its base letters, for the Latin-1
/// Supplement, Latin Extended-A, the common letters of Latin Extended-B and the
/// Vietnamese letters of Latin Extended Additional.
fn latin_base(c: char) -> Option<&'static str> {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ƒ' => "f",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' | 'ǒ' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ'
        | 'ǜ' => "u",
        'ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        // Vietnamese: U+1EA0 to U+1EF9 come in upper and lower pairs, grouped by base letter.
        '\u{1EA0}'..='\u{1EB7}' => "a",
        '\u{1EB8}'..='\u{1EC7}' => "e",
        '\u{1EC8}'..='\u{1ECB}' => "i",
        '\u{1ECC}'..='\u{1EE3}' => "o",
        '\u{1EE4}'..='\u{1EF1}' => "u",
        '\u{1EF2}'..='\u{1EF9}' => "y",
        _ => return None,
    };
    Some(base)
}

/// Computes the rows of a virtualised list to render: those inside the viewport plus `overscan`
/// rows above and below, clamped to `0..total`.
///
/// Pixel values come from the scroll container (`scrollTop`, `clientHeight`) and the
/// fixed row height. A negative or non-finite scroll position reads as 0, and a scroll
/// position past the end (after a search shortened the list) shows the last rows. A row
/// height that is not positive returns an empty range.
pub fn visible_window(
    scroll_top_px: f64,
    viewport_px: f64,
    row_px: f64,
    total: usize,
    overscan: usize,
) -> Range<usize> {
    if total == 0 || !row_px.is_finite() || row_px <= 0.0 {
        return 0..0;
    }
    let scroll_top = finite_non_negative(scroll_top_px);
    let viewport = finite_non_negative(viewport_px);

    // `as usize` saturates, so a huge scroll position cannot overflow.
    let mut first_visible = (scroll_top / row_px).floor() as usize;
    let mut end_visible = ((scroll_top + viewport) / row_px).ceil() as usize;
    end_visible = end_visible.max(first_visible.saturating_add(1));
    if end_visible > total {
        let rows_in_view = end_visible - first_visible;
        end_visible = total;
        first_visible = total.saturating_sub(rows_in_view);
    }

    let start = first_visible.saturating_sub(overscan);
    let end = end_visible.saturating_add(overscan).min(total);
    start..end
}

fn finite_non_negative(value: f64) -> f64 {
    if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn mailbox(index: usize, name: &str, email: &str) -> Mailbox {
        Mailbox {
            id: Uuid::from_u128(index as u128 + 1),
            name: name.into(),
            email: email.into(),
            is_archive: false,
            is_public: false,
        }
    }

    fn sample() -> MailboxIndex {
        MailboxIndex::build(&[
            mailbox(0, "Zoë Çelik", "zoe.celik@contoso.com"),
            mailbox(1, "Łukasz Wójcik", "lukasz.wojcik@contoso.com"),
            mailbox(2, "Jürgen Straße", "j.strasse@contoso.de"),
            mailbox(3, "田中 太郎", "tanaka@contoso.jp"),
            mailbox(4, "Алексей Смирнов", "a.smirnov@contoso.com"),
            mailbox(5, "Public Folders", ""),
            mailbox(6, "Nguyễn Văn Đức", "duc.nguyen@contoso.vn"),
        ])
    }

    #[test]
    fn fold_latin_diacritics() {
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ÆSIR Œuvre"), "aesir oeuvre");
        assert_eq!(fold("Nguyễn Đức"), "nguyen duc");
        assert_eq!(fold("Ștefan Țăran"), "stefan taran");
    }

    #[test]
    fn fold_decomposed_marks() {
        assert_eq!(fold("Zoe\u{308}"), "zoe");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn fold_keeps_other_scripts() {
        assert_eq!(fold("АЛЕКСЕЙ"), "алексей");
        assert_eq!(fold("Йоган"), "йоган");
        assert_eq!(fold("田中"), "田中");
        assert_eq!(fold("ΣΟΦΊΑ"), "σοφία");
    }

    #[test]
    fn empty_query_returns_all() {
        assert_eq!(sample().search("  "), vec![0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn query_without_diacritics() {
        assert_eq!(sample().search("zoe"), vec![0]);
        assert_eq!(sample().search("lukasz"), vec![1]);
        assert_eq!(sample().search("strasse"), vec![2]);
    }

    #[test]
    fn query_with_diacritics() {
        assert_eq!(sample().search("ZOË"), vec![0]);
        assert_eq!(sample().search("Łuk"), vec![1]);
        assert_eq!(sample().search("straße"), vec![2]);
    }

    #[test]
    fn query_non_latin() {
        assert_eq!(sample().search("田中"), vec![3]);
        assert_eq!(sample().search("алексей"), vec![4]);
        assert_eq!(sample().search("АЛЕКС"), vec![4]);
    }

    #[test]
    fn every_term_must_match() {
        assert_eq!(sample().search("contoso.com zoe"), vec![0]);
        assert_eq!(sample().search("zoe lukasz"), Vec::<usize>::new());
    }

    #[test]
    fn terms_match_name_or_email() {
        // "duc" is in the name and "vn" only in the address.
        assert_eq!(sample().search("duc vn"), vec![6]);
    }

    #[test]
    fn term_does_not_span_name_and_email() {
        // "Folders" ends the name and the email is empty; no text joins them.
        assert_eq!(sample().search("folders@"), Vec::<usize>::new());
    }

    #[test]
    fn results_keep_load_order() {
        assert_eq!(sample().search("contoso.com"), vec![0, 1, 4]);
    }

    #[test]
    fn append_continues_indices() {
        let mut index = sample();
        index.append(&[mailbox(7, "Zoë Adams", "zoe.adams@contoso.com")]);
        assert_eq!(index.len(), 8);
        assert_eq!(index.search("zoe"), vec![0, 7]);
    }

    #[test]
    fn empty_index() {
        let index = MailboxIndex::new();
        assert!(index.is_empty());
        assert!(index.search("").is_empty());
        assert!(index.search("x").is_empty());
    }

    #[test]
    fn fifty_thousand_mailboxes() {
        const COUNT: usize = 50_000;
        let first_names = ["Zoë", "Łukasz", "Ana", "José", "Søren", "Олег", "陈"];
        let mailboxes: Vec<Mailbox> = (0..COUNT)
            .map(|index| {
                let first = first_names[index % first_names.len()];
                mailbox(
                    index,
                    &format!("{first} Number{index:05}"),
                    &format!("user{index:05}@tenant{}.example", index % 10),
                )
            })
            .collect();

        // Load in pages as the app does.
        let mut index = MailboxIndex::new();
        for page in mailboxes.chunks(10_000) {
            index.append(page);
        }
        assert_eq!(index.len(), COUNT);

        assert_eq!(index.search("").len(), COUNT);

        let zoe = index.search("zoe");
        assert_eq!(zoe.len(), COUNT.div_ceil(first_names.len()));
        assert!(zoe.iter().all(|&i| i % first_names.len() == 0));
        assert!(zoe.windows(2).all(|pair| pair[0] < pair[1]));

        assert_eq!(index.search("number12345"), vec![12_345]);
        assert_eq!(index.search("SOREN user00004"), vec![4]);
        let every_seventieth =
            |offset: usize| -> Vec<usize> { (offset..COUNT).step_by(70).collect() };
        assert_eq!(index.search("олег tenant5"), every_seventieth(5));
        assert_eq!(index.search("陈 tenant6"), every_seventieth(6));
        assert!(index.search("nobody").is_empty());

        // Every match really contains the terms, and every non-match misses one.
        let matches = index.search("jose tenant3");
        let expected: Vec<usize> = (0..COUNT)
            .filter(|i| i % first_names.len() == 3 && i % 10 == 3)
            .collect();
        assert_eq!(matches, expected);
    }

    #[test]
    fn window_at_top() {
        assert_eq!(visible_window(0.0, 400.0, 40.0, 1000, 5), 0..15);
    }

    #[test]
    fn window_scrolled() {
        // Rows 25 to 35 are visible.
        assert_eq!(visible_window(1000.0, 400.0, 40.0, 1000, 5), 20..40);
    }

    #[test]
    fn window_partial_row() {
        // Row 25 is half visible at the top and row 35 at the bottom.
        assert_eq!(visible_window(1020.0, 400.0, 40.0, 1000, 0), 25..36);
    }

    #[test]
    fn window_at_end() {
        assert_eq!(visible_window(39_600.0, 400.0, 40.0, 1000, 5), 985..1000);
    }

    #[test]
    fn window_past_end_shows_last_rows() {
        assert_eq!(visible_window(39_600.0, 400.0, 40.0, 20, 2), 8..20);
    }

    #[test]
    fn window_shorter_list_than_viewport() {
        assert_eq!(visible_window(0.0, 400.0, 40.0, 3, 5), 0..3);
    }

    #[test]
    fn window_empty_list() {
        assert_eq!(visible_window(0.0, 400.0, 40.0, 0, 5), 0..0);
    }

    #[test]
    fn window_bad_inputs() {
        assert_eq!(visible_window(0.0, 400.0, 0.0, 100, 5), 0..0);
        assert_eq!(visible_window(0.0, 400.0, f64::NAN, 100, 5), 0..0);
        assert_eq!(visible_window(-50.0, 400.0, 40.0, 100, 0), 0..10);
        assert_eq!(visible_window(f64::INFINITY, 400.0, 40.0, 100, 0), 0..10);
    }
}
