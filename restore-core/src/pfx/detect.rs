//! Recognition of the picked file: PKCS#12, PEM, a bare certificate, or Base64 text of a
//! PKCS#12 file.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use der::Decode;
use x509_cert::Certificate;

use crate::certificate::MAX_CERTIFICATE_BYTES;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const UTF16LE_BOM: &[u8] = &[0xFF, 0xFE];
const UTF16BE_BOM: &[u8] = &[0xFE, 0xFF];

/// Advice appended to every rejection of a file that is not a PFX.
const HOW_TO_MAKE_A_PFX: &str = "Veeam needs a PFX (PKCS#12) file with the certificate and \
its private key. Make one with `openssl pkcs12 -export -in cert.pem -inkey key.pem -out \
app.pfx`, or in the Windows certificate manager choose Export, \"Yes, export the private \
key\" and the .pfx format.";

/// Text encoding of a file that contains Base64 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8WithBom,
    /// UTF-16LE with byte order mark, what `Out-File` writes in Windows PowerShell 5.1.
    Utf16LeWithBom,
    Utf16BeWithBom,
}

/// Kind of the picked file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// DER-encoded PKCS#12 (PFX) file.
    Pkcs12,
    /// Text holding the Base64 of a PKCS#12 file.
    Pkcs12Base64 {
        encoding: TextEncoding,
    },
    /// PEM text, with the label of its first block (`CERTIFICATE`, `PRIVATE KEY`, ...).
    Pem {
        label: String,
    },
    /// DER-encoded X.509 certificate without a private key (.cer, .crt).
    Certificate,
    /// Base64 text of an X.509 certificate without a private key.
    CertificateBase64,
    Empty,
    /// File larger than [`MAX_CERTIFICATE_BYTES`].
    TooLarge,
    Unknown,
}

/// Result of [`inspect_file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub kind: FileKind,
    /// PKCS#12 bytes to send: the file itself, or the bytes decoded from its Base64 text.
    /// `None` when the file is rejected.
    pub pfx: Option<Vec<u8>>,
    /// Sentence for the administrator about what the file is and what to do.
    pub message: String,
}

impl Inspection {
    /// Returns whether the file contains a PKCS#12 structure that can be sent.
    pub fn is_accepted(&self) -> bool {
        self.pfx.is_some()
    }

    fn rejected(kind: FileKind, message: String) -> Self {
        Self {
            kind,
            pfx: None,
            message,
        }
    }
}

/// Recognises what the picked file `name` with content `bytes` is. Only PKCS#12 files and
/// Base64 text of one are accepted. Every other kind is rejected with a message that states
/// what was picked and how to make a PFX file.
pub fn inspect_file(name: &str, bytes: &[u8]) -> Inspection {
    if bytes.is_empty() {
        return Inspection::rejected(
            FileKind::Empty,
            format!("\"{name}\" is empty. Pick the PFX file exported with the private key."),
        );
    }
    if u64::try_from(bytes.len()).map_or(true, |len| len > MAX_CERTIFICATE_BYTES) {
        return Inspection::rejected(
            FileKind::TooLarge,
            format!(
                "\"{name}\" is {} bytes, more than the {MAX_CERTIFICATE_BYTES} bytes a certificate \
                 file may have. Pick the PFX file of the application's certificate.",
                bytes.len()
            ),
        );
    }
    if bytes.first() == Some(&0x30) {
        if let Some(inspection) = inspect_der(name, bytes) {
            return inspection;
        }
    }
    // NOTE: only DER is decoded. A SEQUENCE with indefinite length (BER, 0x30 0x80) may be a
    // PFX file from an older tool. It is rejected because it cannot be checked here.
    if bytes.starts_with(&[0x30, 0x80]) {
        return Inspection::rejected(
            FileKind::Unknown,
            format!(
                "\"{name}\" uses the BER encoding with indefinite lengths, which cannot be \
                 checked in the browser. If it is a PFX file, convert it to DER with `openssl \
                 pkcs12 -in old.pfx -nodes | openssl pkcs12 -export -out app.pfx`."
            ),
        );
    }
    match decode_text(bytes) {
        Some((text, encoding)) => inspect_text(name, bytes, &text, encoding),
        None => Inspection::rejected(
            FileKind::Unknown,
            format!("\"{name}\" is neither a PFX file nor text. {HOW_TO_MAKE_A_PFX}"),
        ),
    }
}

/// Recognises DER data: a PFX or a bare certificate. Returns `None` for other data.
fn inspect_der(name: &str, bytes: &[u8]) -> Option<Inspection> {
    if pkcs12::pfx::Pfx::from_der(bytes).is_ok() {
        return Some(Inspection {
            kind: FileKind::Pkcs12,
            pfx: Some(bytes.to_vec()),
            message: format!("\"{name}\" is a PFX (PKCS#12) file."),
        });
    }
    if Certificate::from_der(bytes).is_ok() {
        return Some(Inspection::rejected(
            FileKind::Certificate,
            format!(
                "\"{name}\" is a certificate without its private key (a .cer or .crt file). \
                 {HOW_TO_MAKE_A_PFX}"
            ),
        ));
    }
    None
}

/// Decodes a file as text: UTF-16 when it starts with a byte order mark, UTF-8 otherwise.
fn decode_text(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        let text = core::str::from_utf8(rest).ok()?;
        return Some((text.to_string(), TextEncoding::Utf8WithBom));
    }
    if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        return decode_utf16(rest, u16::from_le_bytes).map(|t| (t, TextEncoding::Utf16LeWithBom));
    }
    if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        return decode_utf16(rest, u16::from_be_bytes).map(|t| (t, TextEncoding::Utf16BeWithBom));
    }
    let text = core::str::from_utf8(bytes).ok()?;
    Some((text.to_string(), TextEncoding::Utf8))
}

fn decode_utf16(bytes: &[u8], to_unit: fn([u8; 2]) -> u16) -> Option<String> {
    let chunks = bytes.chunks_exact(2);
    if !chunks.remainder().is_empty() {
        return None;
    }
    let units = chunks.map(|pair| to_unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

fn inspect_text(name: &str, bytes: &[u8], text: &str, encoding: TextEncoding) -> Inspection {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Inspection::rejected(
            FileKind::Empty,
            format!(
                "\"{name}\" contains only blank text ({} bytes). Pick the PFX file exported with \
                 the private key.",
                bytes.len()
            ),
        );
    }
    if let Some(label) = pem_label(trimmed) {
        let message = format!(
            "\"{name}\" is a PEM text file with a \"{label}\" block, not a PFX file. \
             {HOW_TO_MAKE_A_PFX}"
        );
        return Inspection::rejected(FileKind::Pem { label }, message);
    }
    let Some(decoded) = decode_base64(trimmed) else {
        return Inspection::rejected(
            FileKind::Unknown,
            format!(
                "\"{name}\" is a text file but neither PEM nor Base64 of a PFX file. \
                 {HOW_TO_MAKE_A_PFX}"
            ),
        );
    };
    if pkcs12::pfx::Pfx::from_der(&decoded).is_ok() {
        let message = format!(
            "\"{name}\" is Base64 text of a PFX file ({}); it was decoded to the {} bytes of \
             the PFX file, which will be sent.",
            encoding_name(encoding),
            decoded.len()
        );
        return Inspection {
            kind: FileKind::Pkcs12Base64 { encoding },
            pfx: Some(decoded),
            message,
        };
    }
    if Certificate::from_der(&decoded).is_ok() {
        return Inspection::rejected(
            FileKind::CertificateBase64,
            format!(
                "\"{name}\" is Base64 text of a certificate without its private key. \
                 {HOW_TO_MAKE_A_PFX}"
            ),
        );
    }
    Inspection::rejected(
        FileKind::Unknown,
        format!(
            "\"{name}\" is Base64 text, but the decoded bytes are not a PFX file. \
             {HOW_TO_MAKE_A_PFX}"
        ),
    )
}

fn encoding_name(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::Utf8WithBom => "UTF-8 with byte order mark",
        TextEncoding::Utf16LeWithBom => "UTF-16LE with byte order mark",
        TextEncoding::Utf16BeWithBom => "UTF-16BE with byte order mark",
    }
}

/// Returns the label of the first `-----BEGIN LABEL-----` line of PEM text.
fn pem_label(text: &str) -> Option<String> {
    const BEGIN: &str = "-----BEGIN ";
    let start = text.find(BEGIN)?.saturating_add(BEGIN.len());
    let rest = text.get(start..)?;
    let end = rest.find("-----")?;
    let label = rest.get(..end)?.trim();
    let printable = label.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    Some(if printable && !label.is_empty() {
        label.to_string()
    } else {
        "unnamed".to_string()
    })
}

/// Decodes standard Base64 with or without padding, ignoring ASCII whitespace such as the
/// line breaks `Out-File` and `base64` insert.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let engine = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    engine.decode(compact).ok()
}
