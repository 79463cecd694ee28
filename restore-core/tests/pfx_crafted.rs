//! `restore_core::pfx` on PFX files altered after OpenSSL wrote them: MACs that OpenSSL 3.0
//! cannot write (PBMAC1, an empty password hashed as no bytes) and hostile iteration counts.

mod pfx_support;

use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use hmac::{Hmac, Mac};
use pfx_support::{read, PASSWORD};
use pkcs12::kdf::{derive_key, Pkcs12KeyType};
use pkcs12::pfx::Pfx;
use restore_core::pfx::{check_password, describe, PasswordCheck, PasswordEncoding};
use sha2::Sha256;
use spki::AlgorithmIdentifierOwned;

const ID_PBMAC1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.14");
const ID_PBKDF2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
const ID_HMAC_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// PBMAC1-params from RFC 8018 appendix A.5.
#[derive(Sequence)]
struct Pbmac1Params {
    key_derivation_func: AlgorithmIdentifierOwned,
    message_auth_scheme: AlgorithmIdentifierOwned,
}

fn parse(bytes: &[u8]) -> Pfx {
    Pfx::from_der(bytes).expect("OpenSSL output decodes")
}

fn encode(pfx: &Pfx) -> Vec<u8> {
    pfx.to_der().expect("PFX encodes")
}

fn auth_safe_content(pfx: &Pfx) -> Vec<u8> {
    let octets: OctetString = pfx.auth_safe.content.decode_as().expect("data content");
    octets.into_bytes()
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Replaces the MAC of default.pfx with PBMAC1 (PBKDF2 with HMAC-SHA256, then HMAC-SHA256)
/// keyed by `mac_password` as UTF-8.
fn with_pbmac1(mac_password: &str, iterations: u32) -> Vec<u8> {
    let mut pfx = parse(&read("default.pfx"));
    let content = auth_safe_content(&pfx);

    let salt = [0x5Au8; 16];
    let kdf = pkcs5::pbes2::Pbkdf2Params {
        salt: &salt,
        iteration_count: iterations,
        key_length: Some(32),
        prf: pkcs5::pbes2::Pbkdf2Prf::HmacWithSha256,
    };
    let params = Pbmac1Params {
        key_derivation_func: AlgorithmIdentifierOwned {
            oid: ID_PBKDF2,
            parameters: Some(Any::from_der(&kdf.to_der().expect("encode")).expect("decode")),
        },
        message_auth_scheme: AlgorithmIdentifierOwned {
            oid: ID_HMAC_SHA256,
            parameters: Some(Any::null()),
        },
    };

    // The MAC is computed with at most 10,000 rounds, so a test of the iteration cap stays
    // fast. Only the iteration count written in the parameters matters there.
    let mut key = [0u8; 32];
    let rounds = iterations.min(10_000);
    pbkdf2::pbkdf2_hmac::<Sha256>(mac_password.as_bytes(), &salt, rounds, &mut key);

    let mac_data = pfx.mac_data.as_mut().expect("default.pfx has a MAC");
    mac_data.mac.algorithm = AlgorithmIdentifierOwned {
        oid: ID_PBMAC1,
        parameters: Some(Any::from_der(&params.to_der().expect("encode")).expect("decode")),
    };
    mac_data.mac.digest = OctetString::new(hmac_sha256(&key, &content)).expect("digest");
    mac_data.iterations = 1;
    encode(&pfx)
}

#[test]
fn pbmac1_correct() {
    let check = check_password(&with_pbmac1(PASSWORD, 2048), PASSWORD);
    assert_eq!(
        check,
        PasswordCheck::Correct {
            encoding: PasswordEncoding::Utf8
        }
    );
}

#[test]
fn pbmac1_wrong() {
    let check = check_password(&with_pbmac1(PASSWORD, 2048), "wrong");
    assert_eq!(check, PasswordCheck::Wrong);
}

#[test]
fn pbmac1_described() {
    let details = describe(&with_pbmac1(PASSWORD, 2048), PASSWORD).expect("describe");
    let mac = details.mac.as_ref().map(ToString::to_string);
    assert_eq!(
        mac.as_deref(),
        Some("PBMAC1 (PBKDF2 with HMAC-SHA256, HMAC-SHA256), 2048 iterations")
    );
}

#[test]
fn pbmac1_iterations_over_cap() {
    let check = check_password(&with_pbmac1(PASSWORD, 20_000_000), PASSWORD);
    assert!(matches!(check, PasswordCheck::Unsupported(_)), "{check:?}");
}

#[test]
fn mac_iterations_over_cap() {
    let mut pfx = parse(&read("default.pfx"));
    pfx.mac_data.as_mut().expect("MAC").iterations = 20_000_000;
    let bytes = encode(&pfx);
    let check = check_password(&bytes, PASSWORD);
    assert!(
        matches!(&check, PasswordCheck::Unsupported(what) if what.contains("20000000")),
        "{check:?}"
    );
}

#[test]
fn mac_over_cap_still_described() {
    let mut pfx = parse(&read("default.pfx"));
    pfx.mac_data.as_mut().expect("MAC").iterations = 20_000_000;
    let details = describe(&encode(&pfx), PASSWORD).expect("describe");
    assert!(matches!(
        details.password_check,
        PasswordCheck::Unsupported(_)
    ));
    assert_eq!(details.certificates.len(), 1);
}

#[test]
fn mac_iterations_negative() {
    let mut pfx = parse(&read("default.pfx"));
    pfx.mac_data.as_mut().expect("MAC").iterations = -1;
    let check = check_password(&encode(&pfx), PASSWORD);
    assert!(matches!(check, PasswordCheck::Malformed(_)), "{check:?}");
}

#[test]
fn mac_digest_unknown() {
    let mut pfx = parse(&read("default.pfx"));
    let mac_data = pfx.mac_data.as_mut().expect("MAC");
    mac_data.mac.algorithm.oid = ObjectIdentifier::new_unwrap("1.2.840.113549.2.5");
    let check = check_password(&encode(&pfx), PASSWORD);
    assert!(matches!(check, PasswordCheck::Unsupported(_)), "{check:?}");
}

#[test]
fn empty_password_without_terminator() {
    let mut pfx = parse(&read("empty-password.pfx"));
    let content = auth_safe_content(&pfx);
    let mac_data = pfx.mac_data.as_mut().expect("MAC");
    assert_eq!(mac_data.mac.algorithm.oid, ID_SHA256);
    let salt = mac_data.mac_salt.as_bytes().to_vec();
    let key = derive_key::<Sha256>(&[], &salt, Pkcs12KeyType::Mac, mac_data.iterations, 32);
    mac_data.mac.digest = OctetString::new(hmac_sha256(&key, &content)).expect("digest");
    let check = check_password(&encode(&pfx), "");
    assert_eq!(
        check,
        PasswordCheck::Correct {
            encoding: PasswordEncoding::EmptyWithoutTerminator
        }
    );
}

#[test]
fn truncated_pfx_malformed() {
    let bytes = read("default.pfx");
    let check = check_password(&bytes[..bytes.len() / 2], PASSWORD);
    assert!(matches!(check, PasswordCheck::Malformed(_)), "{check:?}");
}
