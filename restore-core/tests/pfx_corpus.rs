//! `restore_core::pfx` against files made by OpenSSL 3 and Java keytool, and the example
//! certificate from Veeam's documentation.

mod pfx_support;

use pfx_support::{
    corpus, openssl_dates, openssl_thumbprint, read, veeam_example, EXPIRED_NOT_AFTER,
    EXPIRED_NOT_BEFORE, KEYTOOL_PASSWORD, PASSWORD, UNICODE_PASSWORD,
};
use restore_core::pfx::{
    check_password, describe, inspect_file, warnings, DescribeError, Encryption, FileKind,
    PasswordCheck, PasswordEncoding, PfxDetails, TextEncoding,
};

fn details(file: &str, password: &str) -> PfxDetails {
    describe(&read(file), password).unwrap_or_else(|error| panic!("{file}: {error}"))
}

fn encryption_text(encryption: &Option<Encryption>) -> String {
    encryption
        .as_ref()
        .map_or_else(|| "none".to_string(), ToString::to_string)
}

fn is_correct(check: &PasswordCheck) -> bool {
    matches!(check, PasswordCheck::Correct { .. })
}

// --- inspect_file ---

#[test]
fn inspect_pfx_accepted() {
    let bytes = read("default.pfx");
    let inspection = inspect_file("app.pfx", &bytes);
    assert_eq!(inspection.kind, FileKind::Pkcs12);
    assert_eq!(inspection.pfx.as_deref(), Some(&bytes[..]));
    assert!(
        inspection.message.contains("\"app.pfx\""),
        "{}",
        inspection.message
    );
}

#[test]
fn inspect_pem_certificate_rejected() {
    let inspection = inspect_file("cert.pem", &read("cert.pem"));
    assert_eq!(
        inspection.kind,
        FileKind::Pem {
            label: "CERTIFICATE".to_string()
        }
    );
    assert!(!inspection.is_accepted());
    assert!(inspection.message.contains("CERTIFICATE"));
    assert!(inspection
        .message
        .contains("openssl pkcs12 -export -in cert.pem -inkey key.pem -out app.pfx"));
    assert!(inspection.message.contains("Yes, export the private key"));
}

#[test]
fn inspect_pem_key_rejected() {
    let inspection = inspect_file("key.pem", &read("key.pem"));
    assert_eq!(
        inspection.kind,
        FileKind::Pem {
            label: "PRIVATE KEY".to_string()
        }
    );
    assert!(inspection.message.contains("PRIVATE KEY"));
}

#[test]
fn inspect_pem_after_bom_rejected() {
    let mut bytes = b"\xEF\xBB\xBF\r\n  ".to_vec();
    bytes.extend(read("cert.pem"));
    let inspection = inspect_file("cert.crt", &bytes);
    assert_eq!(
        inspection.kind,
        FileKind::Pem {
            label: "CERTIFICATE".to_string()
        }
    );
}

#[test]
fn inspect_der_certificate_rejected() {
    let inspection = inspect_file("cert.cer", &read("cert.cer"));
    assert_eq!(inspection.kind, FileKind::Certificate);
    assert!(inspection.pfx.is_none());
    assert!(inspection.message.contains("without its private key"));
    assert!(inspection.message.contains("openssl pkcs12 -export"));
}

#[test]
fn inspect_base64_certificate_rejected() {
    let inspection = inspect_file("cert.txt", &read("cert-base64.txt"));
    assert_eq!(inspection.kind, FileKind::CertificateBase64);
    assert!(inspection.pfx.is_none());
}

#[test]
fn inspect_base64_utf8_decoded() {
    let inspection = inspect_file("cert.txt", &read("base64-utf8.txt"));
    assert_eq!(
        inspection.kind,
        FileKind::Pkcs12Base64 {
            encoding: TextEncoding::Utf8
        }
    );
    assert_eq!(inspection.pfx, Some(read("default.pfx")));
    assert!(inspection.message.contains("Base64"));
    assert!(inspection.message.contains("decoded"));
}

#[test]
fn inspect_base64_utf8_bom_decoded() {
    let inspection = inspect_file("cert.txt", &read("base64-utf8-bom.txt"));
    assert_eq!(
        inspection.kind,
        FileKind::Pkcs12Base64 {
            encoding: TextEncoding::Utf8WithBom
        }
    );
    assert_eq!(inspection.pfx, Some(read("default.pfx")));
}

#[test]
fn inspect_base64_utf16le_decoded() {
    let inspection = inspect_file("cert.txt", &read("base64-utf16le.txt"));
    assert_eq!(
        inspection.kind,
        FileKind::Pkcs12Base64 {
            encoding: TextEncoding::Utf16LeWithBom
        }
    );
    assert_eq!(inspection.pfx, Some(read("default.pfx")));
    assert!(inspection.message.contains("UTF-16LE"));
}

#[test]
fn inspect_empty_rejected() {
    let inspection = inspect_file("app.pfx", b"");
    assert_eq!(inspection.kind, FileKind::Empty);
    assert!(inspection.message.contains("empty"));
}

#[test]
fn inspect_blank_text_rejected() {
    let inspection = inspect_file("app.pfx", b" \r\n\t");
    assert_eq!(inspection.kind, FileKind::Empty);
}

#[test]
fn inspect_other_text_rejected() {
    let inspection = inspect_file("notes.txt", b"hello, this is not a certificate");
    assert_eq!(inspection.kind, FileKind::Unknown);
    assert!(inspection.pfx.is_none());
}

#[test]
fn inspect_binary_rejected() {
    let inspection = inspect_file("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!(inspection.kind, FileKind::Unknown);
}

#[test]
fn inspect_too_large_rejected() {
    let bytes = vec![b'A'; 1024 * 1024 + 1];
    let inspection = inspect_file("big.pfx", &bytes);
    assert_eq!(inspection.kind, FileKind::TooLarge);
}

#[test]
fn inspect_veeam_example_accepted() {
    let inspection = inspect_file("veeam.pfx", &veeam_example());
    assert_eq!(inspection.kind, FileKind::Pkcs12);
}

#[test]
fn inspect_veeam_example_text_decoded() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/veeam-example-certificate.b64");
    let text = std::fs::read(path).expect("fixture is readable");
    let inspection = inspect_file("veeam.b64", &text);
    assert!(matches!(inspection.kind, FileKind::Pkcs12Base64 { .. }));
    assert_eq!(inspection.pfx, Some(veeam_example()));
}

// --- check_password ---

#[test]
fn password_default_correct() {
    let check = check_password(&read("default.pfx"), PASSWORD);
    assert_eq!(
        check,
        PasswordCheck::Correct {
            encoding: PasswordEncoding::BmpString
        }
    );
}

#[test]
fn password_default_wrong() {
    assert_eq!(
        check_password(&read("default.pfx"), "Secret"),
        PasswordCheck::Wrong
    );
}

#[test]
fn password_legacy_correct() {
    assert!(is_correct(&check_password(&read("legacy.pfx"), PASSWORD)));
}

#[test]
fn password_legacy_wrong() {
    assert_eq!(
        check_password(&read("legacy.pfx"), "wrong"),
        PasswordCheck::Wrong
    );
}

#[test]
fn password_sha1_mac_correct() {
    assert!(is_correct(&check_password(&read("sha1-aes.pfx"), PASSWORD)));
}

#[test]
fn password_nomac_unknown() {
    assert_eq!(
        check_password(&read("nomac.pfx"), PASSWORD),
        PasswordCheck::NoMac
    );
    assert_eq!(
        check_password(&read("nomac.pfx"), "wrong"),
        PasswordCheck::NoMac
    );
}

#[test]
fn password_empty_correct() {
    let check = check_password(&read("empty-password.pfx"), "");
    assert_eq!(
        check,
        PasswordCheck::Correct {
            encoding: PasswordEncoding::EmptyWithTerminator
        }
    );
}

#[test]
fn password_empty_file_wrong() {
    let check = check_password(&read("empty-password.pfx"), PASSWORD);
    assert_eq!(check, PasswordCheck::Wrong);
}

#[test]
fn password_unicode_correct() {
    assert!(is_correct(&check_password(
        &read("unicode.pfx"),
        UNICODE_PASSWORD
    )));
}

#[test]
fn password_unicode_normalised_wrong() {
    // The same text with "ä" and "ö" decomposed into base letter and combining mark.
    let decomposed = "pa\u{308}sswo\u{308}rd-日本";
    assert_eq!(
        check_password(&read("unicode.pfx"), decomposed),
        PasswordCheck::Wrong
    );
}

#[test]
fn password_keytool_correct() {
    assert!(is_correct(&check_password(
        &read("java.p12"),
        KEYTOOL_PASSWORD
    )));
}

#[test]
fn password_keytool_wrong() {
    assert_eq!(
        check_password(&read("java.p12"), "changeme"),
        PasswordCheck::Wrong
    );
}

#[test]
fn password_veeam_example_wrong() {
    assert_eq!(
        check_password(&veeam_example(), "xxx"),
        PasswordCheck::Wrong
    );
}

#[test]
fn password_not_pfx_malformed() {
    let check = check_password(&read("cert.cer"), PASSWORD);
    assert!(matches!(check, PasswordCheck::Malformed(_)), "{check:?}");
}

// --- describe ---

#[test]
fn describe_default_certificate() {
    let details = details("default.pfx", PASSWORD);
    assert_eq!(details.certificates.len(), 1);
    let certificate = &details.certificates[0];
    assert_eq!(certificate.subject, "CN=restore-app, O=Contoso");
    assert_eq!(certificate.issuer, "CN=restore-app, O=Contoso");
    assert_eq!(certificate.thumbprint_sha1, openssl_thumbprint("cert.pem"));
    assert!(certificate.is_leaf);
    let (not_before, not_after) = openssl_dates("cert.pem");
    assert_eq!(certificate.not_before, not_before);
    assert_eq!(certificate.not_after, not_after);
    assert_eq!(
        certificate.not_after_unix - certificate.not_before_unix,
        365 * 86_400
    );
}

#[test]
fn describe_default_serial() {
    let details = details("default.pfx", PASSWORD);
    let output = pfx_support::openssl(&["x509", "-in", "cert.pem", "-noout", "-serial"]);
    let expected = output.trim().trim_start_matches("serial=");
    assert_eq!(details.certificates[0].serial_hex, expected);
}

#[test]
fn describe_default_encryption() {
    let details = details("default.pfx", PASSWORD);
    assert!(details.has_private_key);
    assert_eq!(
        encryption_text(&details.certificate_encryption),
        "AES-256-CBC, PBKDF2 with HMAC-SHA256, 2048 iterations"
    );
    assert_eq!(
        encryption_text(&details.key_encryption),
        "AES-256-CBC, PBKDF2 with HMAC-SHA256, 2048 iterations"
    );
    let mac = details.mac.as_ref().map(ToString::to_string);
    assert_eq!(mac.as_deref(), Some("HMAC-SHA256, 2048 iterations"));
}

#[test]
fn describe_default_wrong_password() {
    let result = describe(&read("default.pfx"), "wrong");
    assert_eq!(result, Err(DescribeError::WrongPassword));
}

#[test]
fn describe_legacy_encryption() {
    let details = details("legacy.pfx", PASSWORD);
    assert_eq!(
        encryption_text(&details.certificate_encryption),
        "RC2-40 (PKCS#12 PBE with SHA-1), 2048 iterations"
    );
    assert_eq!(
        encryption_text(&details.key_encryption),
        "TripleDES (PKCS#12 PBE with SHA-1), 2048 iterations"
    );
    let mac = details.mac.as_ref().map(ToString::to_string);
    assert_eq!(mac.as_deref(), Some("HMAC-SHA1, 2048 iterations"));
}

#[test]
fn describe_legacy_certificate() {
    let details = details("legacy.pfx", PASSWORD);
    assert_eq!(details.certificates.len(), 1);
    assert_eq!(
        details.certificates[0].thumbprint_sha1,
        openssl_thumbprint("cert.pem")
    );
}

#[test]
fn describe_nomac_decrypts() {
    let details = details("nomac.pfx", PASSWORD);
    assert_eq!(details.password_check, PasswordCheck::NoMac);
    assert!(details.mac.is_none());
    assert_eq!(details.certificates.len(), 1);
}

#[test]
fn describe_nomac_wrong_password() {
    let result = describe(&read("nomac.pfx"), "wrong");
    assert_eq!(result, Err(DescribeError::WrongPassword));
}

#[test]
fn describe_empty_password() {
    let details = details("empty-password.pfx", "");
    assert_eq!(details.certificates.len(), 1);
    assert!(details.has_private_key);
}

#[test]
fn describe_unicode_password() {
    let details = details("unicode.pfx", UNICODE_PASSWORD);
    assert_eq!(details.certificates.len(), 1);
}

#[test]
fn describe_chain_leaf() {
    let details = details("chain.pfx", PASSWORD);
    assert_eq!(details.certificates.len(), 3);
    let leaves: Vec<&str> = details
        .certificates
        .iter()
        .filter(|certificate| certificate.is_leaf)
        .map(|certificate| certificate.subject.as_str())
        .collect();
    assert_eq!(leaves, ["CN=restore-chain, O=Contoso"]);
    let leaf = details.leaf().expect("leaf identified");
    assert_eq!(leaf.issuer, "CN=Contoso Issuing CA, O=Contoso");
    assert_eq!(leaf.thumbprint_sha1, openssl_thumbprint("leaf.pem"));
}

#[test]
fn describe_chain_subjects() {
    let details = details("chain.pfx", PASSWORD);
    let subjects: Vec<&str> = details
        .certificates
        .iter()
        .map(|certificate| certificate.subject.as_str())
        .collect();
    assert!(subjects.contains(&"CN=Contoso Issuing CA, O=Contoso"));
    assert!(subjects.contains(&"CN=Contoso Root CA, O=Contoso"));
}

#[test]
fn describe_expired_subject_order() {
    // `openssl ca` writes the name in the policy order (CN first), so O comes first here.
    let details = details("expired.pfx", PASSWORD);
    assert_eq!(details.certificates[0].subject, "O=Contoso, CN=expired-app");
}

#[test]
fn describe_expired_validity() {
    let details = details("expired.pfx", PASSWORD);
    let certificate = &details.certificates[0];
    assert_eq!(certificate.not_before_unix, EXPIRED_NOT_BEFORE);
    assert_eq!(certificate.not_after_unix, EXPIRED_NOT_AFTER);
    assert_eq!(certificate.not_before, "2020-01-01T00:00:00Z");
    assert_eq!(certificate.not_after, "2021-01-01T00:00:00Z");
}

#[test]
fn warnings_expired() {
    let details = details("expired.pfx", PASSWORD);
    let now = EXPIRED_NOT_AFTER + 1;
    let list = warnings(&details, now);
    assert!(
        list.iter()
            .any(|warning| warning.contains("expired on 2021-01-01T00:00:00Z")),
        "{list:?}"
    );
}

#[test]
fn warnings_not_yet_valid() {
    let details = details("expired.pfx", PASSWORD);
    let list = warnings(&details, EXPIRED_NOT_BEFORE - 1);
    assert!(
        list.iter()
            .any(|warning| warning.contains("not valid before")),
        "{list:?}"
    );
    assert!(
        !list.iter().any(|warning| warning.contains("expired on")),
        "{list:?}"
    );
}

#[test]
fn warnings_valid_legacy_none() {
    let details = details("legacy.pfx", PASSWORD);
    let now = details.certificates[0].not_before_unix + 60;
    assert_eq!(warnings(&details, now), Vec::<String>::new());
}

#[test]
fn warnings_aes_reexport() {
    let details = details("default.pfx", PASSWORD);
    let now = details.certificates[0].not_before_unix + 60;
    let list = warnings(&details, now);
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(list[0].contains("The specified network password is not correct"));
    assert!(
        list[0].contains("openssl pkcs12 -export -legacy -in cert.pem -inkey key.pem -out app.pfx")
    );
    assert!(list[0].contains(
        "openssl pkcs12 -in app.pfx -nodes | openssl pkcs12 -export -legacy -out app-legacy.pfx"
    ));
}

#[test]
fn describe_nokeys() {
    let details = details("nokeys.pfx", PASSWORD);
    assert!(!details.has_private_key);
    assert!(details.key_encryption.is_none());
    assert_eq!(details.certificates.len(), 1);
    assert!(details.certificates[0].is_leaf);
}

#[test]
fn warnings_nokeys() {
    let details = details("nokeys.pfx", PASSWORD);
    let now = details.certificates[0].not_before_unix + 60;
    let list = warnings(&details, now);
    assert!(
        list.iter()
            .any(|warning| warning.contains("no private key")),
        "{list:?}"
    );
}

#[test]
fn describe_keytool() {
    let details = details("java.p12", KEYTOOL_PASSWORD);
    assert_eq!(details.certificates.len(), 1);
    let certificate = &details.certificates[0];
    assert_eq!(certificate.subject, "CN=java-app, O=Contoso");
    assert!(certificate.is_leaf);
    assert!(details.has_private_key);
    assert_eq!(certificate.thumbprint_sha1, openssl_thumbprint("java.pem"));
}

#[test]
fn describe_keytool_encryption() {
    let details = details("java.p12", KEYTOOL_PASSWORD);
    let text = encryption_text(&details.key_encryption);
    assert!(!text.contains("not supported"), "{text}");
    assert!(details.mac.is_some());
}

#[test]
fn describe_veeam_example_wrong() {
    let result = describe(&veeam_example(), "xxx");
    assert_eq!(result, Err(DescribeError::WrongPassword));
}

#[test]
fn corpus_folder_exists() {
    assert!(corpus().join("default.pfx").is_file());
}

#[test]
fn inspect_ber_rejected() {
    let inspection = inspect_file("old.pfx", b"\x30\x80\x02\x01\x03\x00\x00");
    assert_eq!(inspection.kind, FileKind::Unknown);
    assert!(inspection.message.contains("BER"), "{}", inspection.message);
}
