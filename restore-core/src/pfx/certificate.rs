//! Readable details of the X.509 certificates in a PFX file.

use der::asn1::Any;
use der::{DateTime, Decode, Encode, Tag, Tagged};
use sha1::{Digest, Sha1};
use x509_cert::name::Name;
use x509_cert::time::Time;
use x509_cert::Certificate;

use super::to_hex_upper;

/// One certificate of a PFX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDetails {
    /// Subject in RFC 4514 order with a space after each comma, e.g. `CN=restore-app, O=Contoso`.
    pub subject: String,
    /// Issuer, written like `subject`.
    pub issuer: String,
    /// Serial number as uppercase hexadecimal.
    pub serial_hex: String,
    /// Start of validity, in seconds since the Unix epoch.
    pub not_before_unix: i64,
    /// End of validity, in seconds since the Unix epoch.
    pub not_after_unix: i64,
    /// Start of validity as RFC 3339 text in UTC, e.g. `2026-01-01T00:00:00Z`.
    pub not_before: String,
    /// End of validity as RFC 3339 text in UTC.
    pub not_after: String,
    /// SHA-1 of the DER certificate as uppercase hexadecimal without separators, the form
    /// Microsoft Entra ID shows.
    pub thumbprint_sha1: String,
    /// Whether this is the end-entity certificate: the one whose `localKeyId` matches the
    /// private key, or without key ids, the one that issued no other certificate in the file.
    pub is_leaf: bool,
}

/// Certificate with the raw names kept for comparing issuers and subjects.
pub(super) struct ParsedCertificate {
    pub details: CertificateDetails,
    pub subject_der: Vec<u8>,
    pub issuer_der: Vec<u8>,
    pub local_key_id: Option<Vec<u8>>,
}

/// Parses one DER certificate. Returns a reason when the bytes are not a certificate.
pub(super) fn parse_certificate(
    der_bytes: &[u8],
    local_key_id: Option<Vec<u8>>,
) -> Result<ParsedCertificate, String> {
    let certificate = Certificate::from_der(der_bytes)
        .map_err(|error| format!("a certificate could not be decoded ({error})"))?;
    let tbs = &certificate.tbs_certificate;
    let subject_der = tbs.subject.to_der().map_err(|error| error.to_string())?;
    let issuer_der = tbs.issuer.to_der().map_err(|error| error.to_string())?;
    let (not_before_unix, not_before) = time_fields(&tbs.validity.not_before);
    let (not_after_unix, not_after) = time_fields(&tbs.validity.not_after);
    let details = CertificateDetails {
        subject: format_name(&tbs.subject),
        issuer: format_name(&tbs.issuer),
        serial_hex: to_hex_upper(tbs.serial_number.as_bytes()),
        not_before_unix,
        not_after_unix,
        not_before,
        not_after,
        thumbprint_sha1: to_hex_upper(&Sha1::digest(der_bytes)),
        is_leaf: false,
    };
    Ok(ParsedCertificate {
        details,
        subject_der,
        issuer_der,
        local_key_id,
    })
}

fn time_fields(time: &Time) -> (i64, String) {
    let date_time: DateTime = time.to_date_time();
    let seconds = i64::try_from(date_time.unix_duration().as_secs()).unwrap_or(i64::MAX);
    (seconds, date_time.to_string())
}

/// Marks the leaf certificate. The key's `localKeyId` decides when present. Otherwise the
/// leaf is the first certificate whose subject is no other certificate's issuer.
pub(super) fn mark_leaf(certificates: &mut [ParsedCertificate], key_ids: &[Vec<u8>]) {
    let by_key_id = certificates.iter().position(|certificate| {
        certificate
            .local_key_id
            .as_ref()
            .is_some_and(|id| key_ids.contains(id))
    });
    let leaf = by_key_id.or_else(|| {
        certificates.iter().position(|candidate| {
            !certificates.iter().any(|other| {
                other.issuer_der == candidate.subject_der
                    && other.subject_der != candidate.subject_der
            })
        })
    });
    if let Some(certificate) = leaf.and_then(|index| certificates.get_mut(index)) {
        certificate.details.is_leaf = true;
    }
}

/// Writes a distinguished name in RFC 4514 order (most specific first), with `, ` between
/// relative names and `+` inside one.
pub(super) fn format_name(name: &Name) -> String {
    let mut parts = Vec::new();
    for rdn in name.0.iter().rev() {
        let attributes: Vec<String> = rdn
            .0
            .iter()
            .map(|attribute| {
                let key = attribute_short_name(&attribute.oid.to_string());
                format!("{key}={}", attribute_value(&attribute.value))
            })
            .collect();
        parts.push(attributes.join("+"));
    }
    parts.join(", ")
}

/// Short names of common attribute types (RFC 4514 section 3 and RFC 4519). Others keep
/// their dotted OID.
fn attribute_short_name(oid: &str) -> String {
    let name = match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.42" => "GN",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "E",
        _ => return oid.to_string(),
    };
    name.to_string()
}

/// Decodes a directory string value, escaping RFC 4514 special characters. Values of other
/// types are written as `#` and the hex of their DER, as RFC 4514 section 2.4 specifies.
fn attribute_value(value: &Any) -> String {
    let bytes = value.value();
    let text = match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::VisibleString => {
            core::str::from_utf8(bytes).ok().map(str::to_string)
        }
        // NOTE: TeletexString is read as Latin-1, as most tools do, not as T.61.
        Tag::TeletexString => Some(bytes.iter().map(|&byte| char::from(byte)).collect()),
        Tag::BmpString => {
            let units = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
            Some(
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or('\u{FFFD}'))
                    .collect(),
            )
        }
        _ => None,
    };
    match text {
        Some(text) => escape_value(&text),
        None => format!("#{}", to_hex_upper(&value.to_der().unwrap_or_default())),
    }
}

fn escape_value(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let last = text.chars().count().saturating_sub(1);
    for (index, c) in text.chars().enumerate() {
        let special = matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || (index == 0 && (c == '#' || c == ' '))
            || (index == last && c == ' ');
        if special {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
