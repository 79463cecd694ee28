//! Password check through the PKCS#12 integrity MAC (RFC 7292 section 5 and appendix B, and
//! PBMAC1 from RFC 9579).

use core::fmt;

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, OctetString};
use der::{Decode, Sequence};
use hmac::{Hmac, Mac};
use pkcs12::kdf::{derive_key, Pkcs12KeyType};
use pkcs12::mac_data::MacData;
use pkcs12::pfx::Pfx;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;

use super::{too_many_iterations, MAX_ITERATIONS};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_PBMAC1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.14");
pub(super) const ID_PBKDF2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");

const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

const ID_HMAC_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.7");
const ID_HMAC_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.8");
const ID_HMAC_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");
const ID_HMAC_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.10");
const ID_HMAC_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.11");

/// Longest PBMAC1 key accepted, the output length of HMAC-SHA512.
const MAX_PBMAC1_KEY_LEN: usize = 64;

/// Hash function of a MAC, a PKCS#12 key derivation or a PBKDF2 PRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HashFunction {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl HashFunction {
    /// Maps a digest algorithm OID (as in the PKCS#12 `MacData`) to the hash function.
    fn from_digest_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            ID_SHA1 => Some(Self::Sha1),
            ID_SHA224 => Some(Self::Sha224),
            ID_SHA256 => Some(Self::Sha256),
            ID_SHA384 => Some(Self::Sha384),
            ID_SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// Maps an HMAC algorithm OID (RFC 8018 appendix B.1) to the hash function.
    pub(super) fn from_hmac_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            ID_HMAC_SHA1 => Some(Self::Sha1),
            ID_HMAC_SHA224 => Some(Self::Sha224),
            ID_HMAC_SHA256 => Some(Self::Sha256),
            ID_HMAC_SHA384 => Some(Self::Sha384),
            ID_HMAC_SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    pub(super) fn hmac_name(self) -> &'static str {
        match self {
            Self::Sha1 => "HMAC-SHA1",
            Self::Sha224 => "HMAC-SHA224",
            Self::Sha256 => "HMAC-SHA256",
            Self::Sha384 => "HMAC-SHA384",
            Self::Sha512 => "HMAC-SHA512",
        }
    }

    fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Derives `key_len` bytes with the PKCS#12 KDF (RFC 7292 appendix B.2). The caller caps
    /// `iterations` at [`MAX_ITERATIONS`], so the conversion to `i32` cannot wrap.
    pub(super) fn pkcs12_kdf(
        self,
        password: &[u8],
        salt: &[u8],
        purpose: Pkcs12KeyType,
        iterations: u32,
        key_len: usize,
    ) -> Vec<u8> {
        let rounds = i32::try_from(iterations).unwrap_or(i32::MAX);
        match self {
            Self::Sha1 => derive_key::<Sha1>(password, salt, purpose, rounds, key_len),
            Self::Sha224 => derive_key::<Sha224>(password, salt, purpose, rounds, key_len),
            Self::Sha256 => derive_key::<Sha256>(password, salt, purpose, rounds, key_len),
            Self::Sha384 => derive_key::<Sha384>(password, salt, purpose, rounds, key_len),
            Self::Sha512 => derive_key::<Sha512>(password, salt, purpose, rounds, key_len),
        }
    }

    /// Fills `key` with PBKDF2 (RFC 8018 section 5.2) using HMAC with this hash as the PRF.
    pub(super) fn pbkdf2(self, password: &[u8], salt: &[u8], iterations: u32, key: &mut [u8]) {
        match self {
            Self::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, iterations, key),
            Self::Sha224 => pbkdf2::pbkdf2_hmac::<Sha224>(password, salt, iterations, key),
            Self::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, key),
            Self::Sha384 => pbkdf2::pbkdf2_hmac::<Sha384>(password, salt, iterations, key),
            Self::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, iterations, key),
        }
    }

    /// Computes the HMAC of `data` and compares it with `expected` in constant time.
    fn hmac_matches(self, key: &[u8], data: &[u8], expected: &[u8]) -> bool {
        macro_rules! verify {
            ($hash:ty) => {
                match <Hmac<$hash> as Mac>::new_from_slice(key) {
                    Ok(mut mac) => {
                        mac.update(data);
                        mac.verify_slice(expected).is_ok()
                    }
                    Err(_) => false,
                }
            };
        }
        match self {
            Self::Sha1 => verify!(Sha1),
            Self::Sha224 => verify!(Sha224),
            Self::Sha256 => verify!(Sha256),
            Self::Sha384 => verify!(Sha384),
            Self::Sha512 => verify!(Sha512),
        }
    }
}

/// Byte form of the password that produced a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordEncoding {
    /// BMPString (UTF-16BE code units) followed by two zero bytes, as RFC 7292 appendix B.1
    /// defines for the PKCS#12 KDF.
    BmpString,
    /// Empty password written as just the two-byte terminator, as OpenSSL does.
    EmptyWithTerminator,
    /// Empty password written as no bytes at all, as some other tools do.
    EmptyWithoutTerminator,
    /// UTF-8 bytes of the password, as PBKDF2 takes them (PBMAC1 and PBES2).
    Utf8,
}

impl PasswordEncoding {
    /// Lists the byte forms to try with the PKCS#12 KDF, most common first.
    pub(super) fn pkcs12_candidates(password: &str) -> Vec<(Self, Vec<u8>)> {
        if password.is_empty() {
            return vec![
                (Self::EmptyWithTerminator, vec![0, 0]),
                (Self::EmptyWithoutTerminator, Vec::new()),
            ];
        }
        // `encode_utf16` writes characters outside the BMP as surrogate pairs, as OpenSSL
        // and Windows do, although a strict BMPString has no such characters.
        let mut bytes = Vec::with_capacity(password.len().saturating_mul(2).saturating_add(2));
        for unit in password.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        bytes.extend_from_slice(&[0, 0]);
        vec![(Self::BmpString, bytes)]
    }
}

/// Outcome of [`check_password`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordCheck {
    /// The integrity MAC matches, so the password opens the file.
    Correct { encoding: PasswordEncoding },
    /// The integrity MAC does not match this password.
    Wrong,
    /// The file has no integrity MAC, so the password cannot be checked before use.
    NoMac,
    /// The MAC uses an algorithm or a parameter this check does not implement.
    Unsupported(String),
    /// The file is not a well-formed PKCS#12 structure.
    Malformed(String),
}

impl PasswordCheck {
    /// Builds the sentence shown to the administrator under the password field.
    pub fn message(&self) -> String {
        match self {
            Self::Correct {
                encoding: PasswordEncoding::EmptyWithoutTerminator,
            } => "The empty password opens this PFX file. The file encodes the empty password \
                  as no bytes, where OpenSSL writes two zero bytes."
                .to_string(),
            Self::Correct { .. } => "The password opens this PFX file.".to_string(),
            Self::Wrong => "The password does not open this PFX file. Check the keyboard \
                            layout and Caps Lock, or ask for the password the file was \
                            exported with."
                .to_string(),
            Self::NoMac => "This PFX file has no integrity check, so the password cannot be \
                            checked before the file is sent."
                .to_string(),
            Self::Unsupported(algorithm) => format!(
                "The password cannot be checked in the browser because the file uses {algorithm}. \
                 The server may still accept it."
            ),
            Self::Malformed(reason) => format!("The PFX file is damaged: {reason}."),
        }
    }
}

/// Integrity MAC of a PFX file, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacDescription {
    /// Algorithm name such as `HMAC-SHA256` or `PBMAC1 (PBKDF2 with HMAC-SHA256, HMAC-SHA256)`.
    pub algorithm: String,
    /// Iteration count of the MAC key derivation.
    pub iterations: u64,
}

impl fmt::Display for MacDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {} iterations", self.algorithm, self.iterations)
    }
}

/// PBMAC1-params from RFC 8018 appendix A.5.
#[derive(Sequence)]
struct Pbmac1Params {
    key_derivation_func: AlgorithmIdentifierOwned,
    message_auth_scheme: AlgorithmIdentifierOwned,
}

/// MAC key derivation and the HMAC that the key is used with.
enum MacScheme {
    /// HMAC keyed by the PKCS#12 KDF with the same hash (RFC 7292 appendix B).
    Pkcs12 {
        hash: HashFunction,
        salt: Vec<u8>,
        iterations: u32,
    },
    /// HMAC keyed by PBKDF2 (RFC 9579).
    Pbmac1 {
        prf: HashFunction,
        hmac: HashFunction,
        salt: Vec<u8>,
        iterations: u32,
        key_len: usize,
    },
}

impl MacScheme {
    fn parse(mac_data: &MacData) -> Result<Self, PasswordCheck> {
        let algorithm = &mac_data.mac.algorithm;
        if algorithm.oid == ID_PBMAC1 {
            return Self::parse_pbmac1(algorithm);
        }
        let hash = HashFunction::from_digest_oid(&algorithm.oid).ok_or_else(|| {
            PasswordCheck::Unsupported(format!("a MAC with digest algorithm {}", algorithm.oid))
        })?;
        let iterations = u32::try_from(mac_data.iterations).map_err(|_| {
            PasswordCheck::Malformed(format!(
                "the MAC iteration count {} is negative",
                mac_data.iterations
            ))
        })?;
        check_iterations(&format!("HMAC-{}", hash.name()), iterations)?;
        Ok(Self::Pkcs12 {
            hash,
            salt: mac_data.mac_salt.as_bytes().to_vec(),
            iterations,
        })
    }

    fn parse_pbmac1(algorithm: &AlgorithmIdentifierOwned) -> Result<Self, PasswordCheck> {
        let malformed = |what: &str| PasswordCheck::Malformed(format!("invalid PBMAC1 {what}"));
        let params = algorithm
            .parameters
            .as_ref()
            .ok_or_else(|| malformed("parameters"))?;
        let params: Pbmac1Params = params.decode_as().map_err(|_| malformed("parameters"))?;

        if params.key_derivation_func.oid != ID_PBKDF2 {
            return Err(PasswordCheck::Unsupported(format!(
                "PBMAC1 with key derivation function {}",
                params.key_derivation_func.oid
            )));
        }

        let kdf_params = params
            .key_derivation_func
            .parameters
            .as_ref()
            .ok_or_else(|| malformed("PBKDF2 parameters"))?;
        let kdf = pkcs5::pbes2::Pbkdf2Params::try_from(AnyRef::from(kdf_params))
            .map_err(|_| malformed("PBKDF2 parameters"))?;
        let prf = pbkdf2_prf(kdf.prf).ok_or_else(|| {
            PasswordCheck::Unsupported(format!("PBMAC1 with PBKDF2 PRF {}", kdf.prf.oid()))
        })?;
        let hmac =
            HashFunction::from_hmac_oid(&params.message_auth_scheme.oid).ok_or_else(|| {
                PasswordCheck::Unsupported(format!(
                    "PBMAC1 with MAC algorithm {}",
                    params.message_auth_scheme.oid
                ))
            })?;
        check_iterations("PBMAC1", kdf.iteration_count)?;

        // NOTE: an absent keyLength is taken as the HMAC output length. No PBMAC1 file
        // without one was at hand to confirm what other tools expect.
        let key_len = kdf.key_length.map_or(hmac.output_len(), usize::from);
        // PBKDF2 runs all iterations once per output block, so a long key multiplies the work.
        if key_len == 0 || key_len > MAX_PBMAC1_KEY_LEN {
            return Err(PasswordCheck::Unsupported(format!(
                "PBMAC1 with a {key_len}-byte key (1 to {MAX_PBMAC1_KEY_LEN} bytes are checked)"
            )));
        }
        Ok(Self::Pbmac1 {
            prf,
            hmac,
            salt: kdf.salt.to_vec(),
            iterations: kdf.iteration_count,
            key_len,
        })
    }

    fn describe(&self) -> MacDescription {
        match self {
            Self::Pkcs12 {
                hash, iterations, ..
            } => MacDescription {
                algorithm: hash.hmac_name().to_string(),
                iterations: u64::from(*iterations),
            },
            Self::Pbmac1 {
                prf,
                hmac,
                iterations,
                ..
            } => MacDescription {
                algorithm: format!(
                    "PBMAC1 (PBKDF2 with {}, {})",
                    prf.hmac_name(),
                    hmac.hmac_name()
                ),
                iterations: u64::from(*iterations),
            },
        }
    }

    /// Finds the password encoding whose MAC matches, if any.
    fn verify(&self, password: &str, data: &[u8], expected: &[u8]) -> Option<PasswordEncoding> {
        match self {
            Self::Pkcs12 {
                hash,
                salt,
                iterations,
            } => PasswordEncoding::pkcs12_candidates(password)
                .into_iter()
                .find(|(_, bytes)| {
                    let key = hash.pkcs12_kdf(
                        bytes,
                        salt,
                        Pkcs12KeyType::Mac,
                        *iterations,
                        hash.output_len(),
                    );
                    hash.hmac_matches(&key, data, expected)
                })
                .map(|(encoding, _)| encoding),
            Self::Pbmac1 {
                prf,
                hmac,
                salt,
                iterations,
                key_len,
            } => {
                // NOTE: the password goes to PBKDF2 as UTF-8 bytes, as PBES2 takes it. No
                // PBMAC1 file written by another tool was at hand to confirm this.
                let mut key = vec![0u8; *key_len];
                prf.pbkdf2(password.as_bytes(), salt, *iterations, &mut key);
                hmac.hmac_matches(&key, data, expected)
                    .then_some(PasswordEncoding::Utf8)
            }
        }
    }
}

/// Maps the PBKDF2 PRF named in the parameters to the hash function.
pub(super) fn pbkdf2_prf(prf: pkcs5::pbes2::Pbkdf2Prf) -> Option<HashFunction> {
    use pkcs5::pbes2::Pbkdf2Prf;
    match prf {
        Pbkdf2Prf::HmacWithSha1 => Some(HashFunction::Sha1),
        Pbkdf2Prf::HmacWithSha224 => Some(HashFunction::Sha224),
        Pbkdf2Prf::HmacWithSha256 => Some(HashFunction::Sha256),
        Pbkdf2Prf::HmacWithSha384 => Some(HashFunction::Sha384),
        Pbkdf2Prf::HmacWithSha512 => Some(HashFunction::Sha512),
        _ => None,
    }
}

fn check_iterations(algorithm: &str, iterations: u32) -> Result<(), PasswordCheck> {
    if iterations > MAX_ITERATIONS {
        return Err(PasswordCheck::Unsupported(too_many_iterations(
            algorithm,
            u64::from(iterations),
        )));
    }
    Ok(())
}

/// Decodes the outer PFX structure.
pub(super) fn parse_pfx(pfx: &[u8]) -> Result<Pfx, String> {
    Pfx::from_der(pfx).map_err(|error| format!("not a PKCS#12 structure ({error})"))
}

/// Returns the bytes of the `authSafe` content, which the MAC covers and which hold the
/// `AuthenticatedSafe` sequence.
pub(super) fn auth_safe_content(pfx: &Pfx) -> Result<Vec<u8>, PasswordCheck> {
    let content_type = pfx.auth_safe.content_type;
    if content_type == ID_SIGNED_DATA {
        return Err(PasswordCheck::Unsupported(
            "public-key integrity mode (signedData)".to_string(),
        ));
    }
    if content_type != ID_DATA {
        return Err(PasswordCheck::Malformed(format!(
            "the authSafe content type {content_type} is neither data nor signedData"
        )));
    }
    let octets: OctetString = pfx.auth_safe.content.decode_as().map_err(|error| {
        PasswordCheck::Malformed(format!(
            "the authSafe data is not an OCTET STRING ({error})"
        ))
    })?;
    Ok(octets.into_bytes())
}

/// Checks the MAC of a parsed PFX and describes it. Returns `None` as description when the
/// file has no MAC or its algorithm is not recognised.
pub(super) fn check_parsed(pfx: &Pfx, password: &str) -> (PasswordCheck, Option<MacDescription>) {
    let Some(mac_data) = &pfx.mac_data else {
        return (PasswordCheck::NoMac, None);
    };
    let scheme = match MacScheme::parse(mac_data) {
        Ok(scheme) => scheme,
        Err(check) => return (check, None),
    };
    let description = scheme.describe();
    let content = match auth_safe_content(pfx) {
        Ok(content) => content,
        Err(check) => return (check, Some(description)),
    };
    let check = match scheme.verify(password, &content, mac_data.mac.digest.as_bytes()) {
        Some(encoding) => PasswordCheck::Correct { encoding },
        None => PasswordCheck::Wrong,
    };
    (check, Some(description))
}

/// Checks `password` against the integrity MAC of the PKCS#12 file `pfx`.
///
/// Supports HMAC with SHA-1, SHA-224, SHA-256, SHA-384 and SHA-512 keyed by the PKCS#12 KDF,
/// and PBMAC1 with PBKDF2. An empty password is tried both as the two-byte terminator and
/// as no bytes, and [`PasswordCheck::Correct`] names the form that matched.
pub fn check_password(pfx: &[u8], password: &str) -> PasswordCheck {
    match parse_pfx(pfx) {
        Ok(parsed) => check_parsed(&parsed, password).0,
        Err(reason) => PasswordCheck::Malformed(reason),
    }
}
