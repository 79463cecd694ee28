//! Contents of a PFX file: certificates, private key presence and encryption, and the
//! warnings an administrator should see before sending it.

use core::fmt;

use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, OctetString};
use der::{Decode, Tag, TagNumber, Tagged};
use pkcs12::cert_type::CertBag;
use pkcs12::pbe_params::EncryptedPrivateKeyInfo;
use pkcs12::safe_bag::SafeBag;
use pkcs8::PrivateKeyInfo;
use zeroize::Zeroizing;

use super::certificate::{mark_leaf, parse_certificate, CertificateDetails, ParsedCertificate};
use super::decrypt::{decrypt_with, describe_algorithm, Encryption};
use super::mac::{auth_safe_content, check_parsed, parse_pfx, MacDescription, PasswordCheck};
use super::{too_many_iterations, MAX_ITERATIONS};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const ID_ENVELOPED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
const ID_LOCAL_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.21");

/// Deepest nesting of `safeContentsBag` bags that is followed.
const MAX_BAG_DEPTH: usize = 4;

/// Total key-derivation iterations one [`describe`] call may spend, as four derivations at
/// [`MAX_ITERATIONS`]. It bounds the time a crafted file with many encrypted parts can take.
const ITERATION_BUDGET: u64 = 4 * MAX_ITERATIONS as u64;

/// Contents of a PFX file as [`describe`] finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PfxDetails {
    pub certificates: Vec<CertificateDetails>,
    /// Whether a `keyBag` or `pkcs8ShroudedKeyBag` is present.
    pub has_private_key: bool,
    /// Encryption of the part holding the certificates, `None` when there is no certificate.
    pub certificate_encryption: Option<Encryption>,
    /// Encryption of the private key, `None` when there is no key.
    pub key_encryption: Option<Encryption>,
    /// Integrity MAC, `None` when the file has none or its algorithm is not recognised.
    pub mac: Option<MacDescription>,
    /// Result of the MAC check done first.
    pub password_check: PasswordCheck,
}

impl PfxDetails {
    /// Returns the leaf certificate, if one was identified.
    pub fn leaf(&self) -> Option<&CertificateDetails> {
        self.certificates
            .iter()
            .find(|certificate| certificate.is_leaf)
    }
}

/// Error of [`describe`] when a PFX file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescribeError {
    /// The MAC or the decryption shows that the password does not open the file.
    WrongPassword,
    /// The file uses an algorithm or a parameter this module does not implement.
    Unsupported(String),
    /// The file is not a well-formed PKCS#12 structure.
    Malformed(String),
}

impl fmt::Display for DescribeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongPassword => f.write_str("The password does not open this PFX file."),
            Self::Unsupported(feature) => write!(
                f,
                "The PFX file cannot be read in the browser because it uses {feature}."
            ),
            Self::Malformed(reason) => write!(f, "The PFX file is damaged: {reason}."),
        }
    }
}

impl std::error::Error for DescribeError {}

/// Remaining key-derivation iterations of one [`describe`] call.
pub(super) struct IterationBudget {
    remaining: u64,
}

impl IterationBudget {
    pub(super) fn new() -> Self {
        Self {
            remaining: ITERATION_BUDGET,
        }
    }

    /// Takes `derivations` key derivations of `iterations` each from the budget, or rejects
    /// them when one derivation exceeds [`MAX_ITERATIONS`] or the total exceeds the budget.
    pub(super) fn spend(
        &mut self,
        algorithm: &str,
        iterations: u32,
        derivations: u64,
    ) -> Result<(), DescribeError> {
        if iterations > MAX_ITERATIONS {
            return Err(DescribeError::Unsupported(too_many_iterations(
                algorithm,
                u64::from(iterations),
            )));
        }
        let cost = u64::from(iterations).saturating_mul(derivations);
        self.remaining = self.remaining.checked_sub(cost).ok_or_else(|| {
            DescribeError::Unsupported(format!(
                "encrypted parts needing more than {ITERATION_BUDGET} key-derivation \
                 iterations in total"
            ))
        })?;
        Ok(())
    }
}

/// Facts gathered from the bags read so far.
#[derive(Default)]
struct Collected {
    certificates: Vec<ParsedCertificate>,
    key_ids: Vec<Vec<u8>>,
    has_private_key: bool,
    certificate_encryption: Option<Encryption>,
    key_encryption: Option<Encryption>,
}

/// Reads the certificates, the key presence and the encryption of the PFX file `pfx`,
/// decrypting its parts with `password`.
///
/// The MAC is checked first, so a wrong password is reported before any decryption. Then
/// every encrypted part, the shrouded private key included, is decrypted, which checks the
/// password of files without a MAC: bad padding or undecodable plaintext means a wrong
/// password. The decrypted key is only decoded as PKCS#8 and wiped, never parsed further.
pub fn describe(pfx: &[u8], password: &str) -> Result<PfxDetails, DescribeError> {
    let parsed = parse_pfx(pfx).map_err(DescribeError::Malformed)?;
    let (password_check, mac) = check_parsed(&parsed, password);
    match &password_check {
        PasswordCheck::Wrong => return Err(DescribeError::WrongPassword),
        PasswordCheck::Malformed(reason) => return Err(DescribeError::Malformed(reason.clone())),
        _ => {}
    }
    let content = auth_safe_content(&parsed).map_err(|check| match check {
        PasswordCheck::Unsupported(feature) => DescribeError::Unsupported(feature),
        other => DescribeError::Malformed(other.message()),
    })?;
    let authenticated_safe = Vec::<ContentInfo>::from_der(&content).map_err(|error| {
        DescribeError::Malformed(format!(
            "the AuthenticatedSafe could not be decoded ({error})"
        ))
    })?;

    let mut budget = IterationBudget::new();
    let mut collected = Collected::default();
    for content_info in &authenticated_safe {
        read_content_info(content_info, password, &mut budget, &mut collected)?;
    }

    let key_ids = core::mem::take(&mut collected.key_ids);
    mark_leaf(&mut collected.certificates, &key_ids);
    Ok(PfxDetails {
        certificates: collected
            .certificates
            .into_iter()
            .map(|certificate| certificate.details)
            .collect(),
        has_private_key: collected.has_private_key,
        certificate_encryption: collected.certificate_encryption,
        key_encryption: collected.key_encryption,
        mac,
        password_check,
    })
}

fn read_content_info(
    content_info: &ContentInfo,
    password: &str,
    budget: &mut IterationBudget,
    collected: &mut Collected,
) -> Result<(), DescribeError> {
    let content_type = content_info.content_type;
    if content_type == ID_DATA {
        let octets: OctetString = content_info.content.decode_as().map_err(|error| {
            DescribeError::Malformed(format!("a data part is not an OCTET STRING ({error})"))
        })?;
        let bags = Vec::<SafeBag>::from_der(octets.as_bytes()).map_err(|error| {
            DescribeError::Malformed(format!("a SafeContents could not be decoded ({error})"))
        })?;
        return read_bags(
            &bags,
            &Encryption::NotEncrypted,
            0,
            password,
            budget,
            collected,
        );
    }
    if content_type == ID_ENCRYPTED_DATA {
        let encrypted: EncryptedData = content_info.content.decode_as().map_err(|error| {
            DescribeError::Malformed(format!("an encryptedData part is invalid ({error})"))
        })?;
        let info = &encrypted.enc_content_info;
        let ciphertext = info.encrypted_content.as_ref().ok_or_else(|| {
            DescribeError::Malformed("an encryptedData part has no content".to_string())
        })?;
        let (bags, encryption) = decrypt_with(
            &info.content_enc_alg,
            ciphertext.as_bytes(),
            password,
            budget,
            |plaintext| Vec::<SafeBag>::from_der(&plaintext).ok(),
        )?;
        return read_bags(&bags, &encryption, 0, password, budget, collected);
    }
    if content_type == ID_ENVELOPED_DATA {
        return Err(DescribeError::Unsupported(
            "public-key privacy mode (envelopedData)".to_string(),
        ));
    }
    Err(DescribeError::Malformed(format!(
        "an AuthenticatedSafe entry has the invalid content type {content_type}"
    )))
}

fn read_bags(
    bags: &[SafeBag],
    container: &Encryption,
    depth: usize,
    password: &str,
    budget: &mut IterationBudget,
    collected: &mut Collected,
) -> Result<(), DescribeError> {
    for bag in bags {
        let value = bag_value(bag)?;
        let malformed = |what: &str, error: der::Error| {
            DescribeError::Malformed(format!("{what} could not be decoded ({error})"))
        };
        match bag.bag_id {
            pkcs12::PKCS_12_KEY_BAG_OID => {
                collected.has_private_key = true;
                collected.key_ids.extend(local_key_id(bag));
                collected
                    .key_encryption
                    .get_or_insert_with(|| container.clone());
            }
            pkcs12::PKCS_12_PKCS8_KEY_BAG_OID => {
                let key = EncryptedPrivateKeyInfo::from_der(value)
                    .map_err(|error| malformed("a shrouded key bag", error))?;
                let encryption = check_shrouded_key(&key, password, budget)?;
                collected.has_private_key = true;
                collected.key_ids.extend(local_key_id(bag));
                collected.key_encryption.get_or_insert(encryption);
            }
            pkcs12::PKCS_12_CERT_BAG_OID => {
                let cert_bag = CertBag::from_der(value)
                    .map_err(|error| malformed("a certificate bag", error))?;
                if cert_bag.cert_id != pkcs12::PKCS_12_X509_CERT_OID {
                    continue;
                }
                let certificate =
                    parse_certificate(cert_bag.cert_value.as_bytes(), local_key_id(bag))
                        .map_err(DescribeError::Malformed)?;
                collected.certificates.push(certificate);
                collected
                    .certificate_encryption
                    .get_or_insert_with(|| container.clone());
            }
            pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID => {
                if depth >= MAX_BAG_DEPTH {
                    return Err(DescribeError::Unsupported(format!(
                        "bags nested more than {MAX_BAG_DEPTH} levels deep"
                    )));
                }
                let nested = Vec::<SafeBag>::from_der(value)
                    .map_err(|error| malformed("a nested SafeContents", error))?;
                let depth = depth.saturating_add(1);
                read_bags(&nested, container, depth, password, budget, collected)?;
            }
            // CRL and secret bags are skipped because they contain neither certificate nor key.
            _ => {}
        }
    }
    Ok(())
}

/// Decrypts a shrouded key to check the password, because files without a MAC, such as
/// `openssl pkcs12 -nomac` writes, often leave the certificates unencrypted. The plaintext is
/// only decoded as a PKCS#8 `PrivateKeyInfo` (v1 or v2) and then wiped. The key inside is
/// not parsed.
/// Returns the key's encryption. An algorithm this module cannot decrypt is described, not
/// rejected.
fn check_shrouded_key(
    key: &EncryptedPrivateKeyInfo,
    password: &str,
    budget: &mut IterationBudget,
) -> Result<Encryption, DescribeError> {
    let result = decrypt_with(
        &key.encryption_algorithm,
        key.encrypted_data.as_bytes(),
        password,
        budget,
        |plaintext| {
            let plaintext = Zeroizing::new(plaintext);
            PrivateKeyInfo::from_der(&plaintext).ok().map(|_| ())
        },
    );
    match result {
        Ok(((), encryption)) => Ok(encryption),
        Err(DescribeError::Unsupported(_)) => Ok(describe_algorithm(&key.encryption_algorithm)),
        Err(error) => Err(error),
    }
}

/// Returns the DER inside the `[0] EXPLICIT` wrapper that `pkcs12` keeps in `bag_value`.
fn bag_value(bag: &SafeBag) -> Result<&[u8], DescribeError> {
    let wrapper = AnyRef::from_der(&bag.bag_value).map_err(|error| {
        DescribeError::Malformed(format!("a bag value could not be decoded ({error})"))
    })?;
    let expected = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N0,
    };
    if wrapper.tag() != expected {
        return Err(DescribeError::Malformed(format!(
            "a bag value has tag {} instead of [0]",
            wrapper.tag()
        )));
    }
    Ok(wrapper.value())
}

/// Returns the `localKeyId` attribute of a bag, which pairs a key with its certificate.
fn local_key_id(bag: &SafeBag) -> Option<Vec<u8>> {
    let attributes = bag.bag_attributes.as_ref()?;
    let attribute = attributes
        .iter()
        .find(|attribute| attribute.oid == ID_LOCAL_KEY_ID)?;
    let value = attribute.values.iter().next()?;
    (value.tag() == Tag::OctetString).then(|| value.value().to_vec())
}

/// Lists what the administrator should know before sending the file, given the current time
/// `now_unix_secs` (seconds since the Unix epoch). An empty list means nothing to report.
pub fn warnings(details: &PfxDetails, now_unix_secs: i64) -> Vec<String> {
    let mut warnings = Vec::new();
    if details.certificates.is_empty() {
        warnings.push("The file contains no certificate.".to_string());
    }
    for certificate in &details.certificates {
        let role = if certificate.is_leaf {
            "The certificate"
        } else {
            "The chain certificate"
        };
        if now_unix_secs > certificate.not_after_unix {
            warnings.push(format!(
                "{role} \"{}\" expired on {}. Veeam and Microsoft Entra ID reject an expired \
                 certificate: create or renew it, then export it again.",
                certificate.subject, certificate.not_after
            ));
        } else if now_unix_secs < certificate.not_before_unix {
            warnings.push(format!(
                "{role} \"{}\" is not valid before {}. Check the computer's clock, or wait \
                 until then.",
                certificate.subject, certificate.not_before
            ));
        }
    }
    if !details.has_private_key {
        warnings.push(
            "The file has no private key, so Veeam cannot sign in with it. Export the \
             certificate again with its private key (Windows: \"Yes, export the private key\"; \
             OpenSSL: `openssl pkcs12 -export -in cert.pem -inkey key.pem -out app.pfx`)."
                .to_string(),
        );
    }
    let uses_aes = details
        .certificate_encryption
        .iter()
        .chain(details.key_encryption.iter())
        .any(Encryption::is_aes);
    if uses_aes {
        warnings.push(
            "The file is encrypted with AES and PBKDF2 (the OpenSSL 3 default). Older Windows \
             servers reject such files, and .NET then reports \"The specified network password \
             is not correct\" even for the right password. If the server does, export the file \
             with TripleDES and SHA-1: `openssl pkcs12 -export -legacy -in cert.pem -inkey \
             key.pem -out app.pfx`, or from this PFX file: `openssl pkcs12 -in app.pfx -nodes | \
             openssl pkcs12 -export -legacy -out app-legacy.pfx`."
                .to_string(),
        );
    }
    warnings
}
