//! Durations as the page shows them.

/// Formats whole seconds as `42 s`, `3 min 05 s` or `1 h 02 min 05 s`.
pub fn format_duration(total_secs: i64) -> String {
    let total_secs = total_secs.max(0);
    let hours = total_secs / 3600;
    let minutes = (total_secs % 3600) / 60;
    let seconds = total_secs % 60;
    if hours > 0 {
        format!("{hours} h {minutes:02} min {seconds:02} s")
    } else if minutes > 0 {
        format!("{minutes} min {seconds:02} s")
    } else {
        format!("{seconds} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_duration(0), "0 s");
        assert_eq!(format_duration(42), "42 s");
        assert_eq!(format_duration(185), "3 min 05 s");
        assert_eq!(format_duration(3725), "1 h 02 min 05 s");
        assert_eq!(format_duration(-3), "0 s");
    }
}
