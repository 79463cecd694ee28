//! Decryption of password-protected PKCS#12 content: PBES2 (PBKDF2 with AES-CBC, RFC 8018)
//! and the PKCS#12 PBE schemes with TripleDES or RC2 (RFC 7292 appendix C).

use core::fmt;

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, InnerIvInit, KeyInit, KeyIvInit};
use const_oid::ObjectIdentifier;
use der::asn1::AnyRef;
use pkcs12::kdf::Pkcs12KeyType;
use pkcs12::pbe_params::{Pbes2Params, Pkcs12PbeParams};
use pkcs5::pbes2::{EncryptionScheme, Kdf, Parameters};
use spki::AlgorithmIdentifierOwned;

use super::details::{DescribeError, IterationBudget};
use super::mac::{pbkdf2_prf, HashFunction, PasswordEncoding, ID_PBKDF2};

const ID_PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");

/// Cipher of a PKCS#12 PBE scheme, all keyed through the PKCS#12 KDF with SHA-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkcs12PbeCipher {
    Rc4With128BitKey,
    Rc4With40BitKey,
    TripleDes,
    TwoKeyTripleDes,
    Rc2With128BitKey,
    Rc2With40BitKey,
}

impl Pkcs12PbeCipher {
    fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC4 => Some(Self::Rc4With128BitKey),
            pkcs12::PKCS_12_PBE_WITH_SHAAND40_BIT_RC4 => Some(Self::Rc4With40BitKey),
            pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC => Some(Self::TripleDes),
            pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC => Some(Self::TwoKeyTripleDes),
            pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC => Some(Self::Rc2With128BitKey),
            pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC => Some(Self::Rc2With40BitKey),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Rc4With128BitKey => "RC4-128",
            Self::Rc4With40BitKey => "RC4-40",
            Self::TripleDes => "TripleDES",
            Self::TwoKeyTripleDes => "two-key TripleDES",
            Self::Rc2With128BitKey => "RC2-128",
            Self::Rc2With40BitKey => "RC2-40",
        }
    }

    /// Key length in bytes.
    fn key_len(self) -> usize {
        match self {
            Self::Rc4With128BitKey | Self::Rc2With128BitKey | Self::TwoKeyTripleDes => 16,
            Self::Rc4With40BitKey | Self::Rc2With40BitKey => 5,
            Self::TripleDes => 24,
        }
    }
}

/// Cipher of a PBES2 scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pbes2Cipher {
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
}

impl Pbes2Cipher {
    fn name(self) -> &'static str {
        match self {
            Self::Aes128Cbc => "AES-128-CBC",
            Self::Aes192Cbc => "AES-192-CBC",
            Self::Aes256Cbc => "AES-256-CBC",
        }
    }
}

/// PRF of PBKDF2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prf {
    HmacSha1,
    HmacSha224,
    HmacSha256,
    HmacSha384,
    HmacSha512,
}

impl Prf {
    fn from_hash(hash: HashFunction) -> Self {
        match hash {
            HashFunction::Sha1 => Self::HmacSha1,
            HashFunction::Sha224 => Self::HmacSha224,
            HashFunction::Sha256 => Self::HmacSha256,
            HashFunction::Sha384 => Self::HmacSha384,
            HashFunction::Sha512 => Self::HmacSha512,
        }
    }

    fn hash(self) -> HashFunction {
        match self {
            Self::HmacSha1 => HashFunction::Sha1,
            Self::HmacSha224 => HashFunction::Sha224,
            Self::HmacSha256 => HashFunction::Sha256,
            Self::HmacSha384 => HashFunction::Sha384,
            Self::HmacSha512 => HashFunction::Sha512,
        }
    }
}

/// Password-based encryption of a part of a PFX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encryption {
    NotEncrypted,
    Pbes2 {
        cipher: Pbes2Cipher,
        prf: Prf,
        iterations: u32,
    },
    Pkcs12Pbe {
        cipher: Pkcs12PbeCipher,
        iterations: u32,
    },
    /// Scheme this module cannot decrypt, with its OID or a short description.
    Other(String),
}

impl Encryption {
    /// Returns whether this is the PBES2 scheme with AES, which older Windows servers reject.
    pub fn is_aes(&self) -> bool {
        matches!(self, Self::Pbes2 { .. })
    }
}

impl fmt::Display for Encryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotEncrypted => f.write_str("not encrypted"),
            Self::Pbes2 {
                cipher,
                prf,
                iterations,
            } => write!(
                f,
                "{}, PBKDF2 with {}, {iterations} iterations",
                cipher.name(),
                prf.hash().hmac_name()
            ),
            Self::Pkcs12Pbe { cipher, iterations } => write!(
                f,
                "{} (PKCS#12 PBE with SHA-1), {iterations} iterations",
                cipher.name()
            ),
            Self::Other(algorithm) => write!(f, "{algorithm} (not supported here)"),
        }
    }
}

/// Decryption parameters read from an `AlgorithmIdentifier`.
enum Scheme {
    Pbes2 {
        cipher: Pbes2Cipher,
        prf: Prf,
        iterations: u32,
        salt: Vec<u8>,
        iv: [u8; 16],
    },
    Pkcs12Pbe {
        cipher: Pkcs12PbeCipher,
        iterations: u32,
        salt: Vec<u8>,
    },
}

impl Scheme {
    fn parse(algorithm: &AlgorithmIdentifierOwned) -> Result<Self, DescribeError> {
        let malformed = || {
            DescribeError::Malformed(format!(
                "invalid parameters for algorithm {}",
                algorithm.oid
            ))
        };
        let params = algorithm.parameters.as_ref().ok_or_else(malformed)?;
        if algorithm.oid == ID_PBES2 {
            return Self::parse_pbes2(AnyRef::from(params));
        }
        let Some(cipher) = Pkcs12PbeCipher::from_oid(&algorithm.oid) else {
            return Err(DescribeError::Unsupported(format!(
                "encryption algorithm {}",
                algorithm.oid
            )));
        };
        let params: Pkcs12PbeParams = params.decode_as().map_err(|_| malformed())?;
        let iterations = u32::try_from(params.iterations).map_err(|_| malformed())?;
        Ok(Self::Pkcs12Pbe {
            cipher,
            iterations,
            salt: params.salt.into_bytes(),
        })
    }

    fn parse_pbes2(params: AnyRef<'_>) -> Result<Self, DescribeError> {
        let parsed = match Parameters::try_from(params) {
            Ok(parsed) => parsed,
            Err(_) => return Err(explain_pbes2_failure(params)),
        };
        let Kdf::Pbkdf2(kdf) = parsed.kdf else {
            return Err(DescribeError::Unsupported("PBES2 with scrypt".to_string()));
        };
        let (cipher, iv) = match parsed.encryption {
            EncryptionScheme::Aes128Cbc { iv } => (Pbes2Cipher::Aes128Cbc, *iv),
            EncryptionScheme::Aes192Cbc { iv } => (Pbes2Cipher::Aes192Cbc, *iv),
            EncryptionScheme::Aes256Cbc { iv } => (Pbes2Cipher::Aes256Cbc, *iv),
            _ => {
                return Err(DescribeError::Unsupported(
                    "a PBES2 cipher other than AES-CBC".to_string(),
                ))
            }
        };
        let prf = pbkdf2_prf(kdf.prf).ok_or_else(|| {
            DescribeError::Unsupported(format!("PBKDF2 with PRF {}", kdf.prf.oid()))
        })?;
        Ok(Self::Pbes2 {
            cipher,
            prf: Prf::from_hash(prf),
            iterations: kdf.iteration_count,
            salt: kdf.salt.to_vec(),
            iv,
        })
    }

    fn encryption(&self) -> Encryption {
        match self {
            Self::Pbes2 {
                cipher,
                prf,
                iterations,
                ..
            } => Encryption::Pbes2 {
                cipher: *cipher,
                prf: *prf,
                iterations: *iterations,
            },
            Self::Pkcs12Pbe {
                cipher, iterations, ..
            } => Encryption::Pkcs12Pbe {
                cipher: *cipher,
                iterations: *iterations,
            },
        }
    }
}

/// Names the part of PBES2 parameters that `pkcs5` could not read: an unknown cipher or KDF is
/// unsupported, anything else is malformed.
fn explain_pbes2_failure(params: AnyRef<'_>) -> DescribeError {
    let Ok(raw) = params.decode_as::<Pbes2Params>() else {
        return DescribeError::Malformed("invalid PBES2 parameters".to_string());
    };
    if raw.kdf.oid != ID_PBKDF2 {
        return DescribeError::Unsupported(format!(
            "PBES2 with key derivation function {}",
            raw.kdf.oid
        ));
    }
    DescribeError::Unsupported(format!("PBES2 with cipher {}", raw.encryption.oid))
}

/// Describes the encryption named by `algorithm` without decrypting anything.
pub(super) fn describe_algorithm(algorithm: &AlgorithmIdentifierOwned) -> Encryption {
    match Scheme::parse(algorithm) {
        Ok(scheme) => scheme.encryption(),
        Err(DescribeError::Unsupported(what)) => Encryption::Other(what),
        Err(_) => Encryption::Other(format!(
            "algorithm {} with invalid parameters",
            algorithm.oid
        )),
    }
}

/// Decrypts `ciphertext` and hands each candidate plaintext to `accept` until one is
/// accepted. Several candidates exist only for an empty password under the PKCS#12 KDF,
/// which tools encode in two ways. Returns the accepted value and the encryption used.
pub(super) fn decrypt_with<T>(
    algorithm: &AlgorithmIdentifierOwned,
    ciphertext: &[u8],
    password: &str,
    budget: &mut IterationBudget,
    mut accept: impl FnMut(Vec<u8>) -> Option<T>,
) -> Result<(T, Encryption), DescribeError> {
    let scheme = Scheme::parse(algorithm)?;
    let encryption = scheme.encryption();
    match &scheme {
        Scheme::Pbes2 {
            cipher,
            prf,
            iterations,
            salt,
            iv,
        } => {
            budget.spend(&encryption.to_string(), *iterations, 1)?;
            let key_len = match cipher {
                Pbes2Cipher::Aes128Cbc => 16,
                Pbes2Cipher::Aes192Cbc => 24,
                Pbes2Cipher::Aes256Cbc => 32,
            };
            let mut key = zeroize::Zeroizing::new(vec![0u8; key_len]);
            prf.hash()
                .pbkdf2(password.as_bytes(), salt, *iterations, &mut key);
            let plaintext = match cipher {
                Pbes2Cipher::Aes128Cbc => cbc_decrypt::<aes::Aes128>(&key, iv, ciphertext),
                Pbes2Cipher::Aes192Cbc => cbc_decrypt::<aes::Aes192>(&key, iv, ciphertext),
                Pbes2Cipher::Aes256Cbc => cbc_decrypt::<aes::Aes256>(&key, iv, ciphertext),
            };
            plaintext
                .and_then(&mut accept)
                .map(|value| (value, encryption))
                .ok_or(DescribeError::WrongPassword)
        }
        Scheme::Pkcs12Pbe {
            cipher,
            iterations,
            salt,
        } => {
            for (_, password_bytes) in PasswordEncoding::pkcs12_candidates(password) {
                // The key and the IV are two separate derivations.
                budget.spend(&encryption.to_string(), *iterations, 2)?;
                let plaintext =
                    pkcs12_pbe_decrypt(*cipher, &password_bytes, salt, *iterations, ciphertext)?;
                if let Some(value) = plaintext.and_then(&mut accept) {
                    return Ok((value, encryption));
                }
            }
            Err(DescribeError::WrongPassword)
        }
    }
}

fn pkcs12_pbe_decrypt(
    cipher: Pkcs12PbeCipher,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    ciphertext: &[u8],
) -> Result<Option<Vec<u8>>, DescribeError> {
    let sha1 = HashFunction::Sha1;
    let derive = |purpose, len| sha1.pkcs12_kdf(password, salt, purpose, iterations, len);
    let key = zeroize::Zeroizing::new(derive(Pkcs12KeyType::EncryptionKey, cipher.key_len()));
    let iv = derive(Pkcs12KeyType::Iv, 8);
    let plaintext = match cipher {
        Pkcs12PbeCipher::TripleDes => cbc_decrypt::<des::TdesEde3>(&key, &iv, ciphertext),
        Pkcs12PbeCipher::TwoKeyTripleDes => cbc_decrypt::<des::TdesEde2>(&key, &iv, ciphertext),
        Pkcs12PbeCipher::Rc2With128BitKey => rc2_decrypt(&key, 128, &iv, ciphertext),
        Pkcs12PbeCipher::Rc2With40BitKey => rc2_decrypt(&key, 40, &iv, ciphertext),
        Pkcs12PbeCipher::Rc4With128BitKey | Pkcs12PbeCipher::Rc4With40BitKey => {
            return Err(DescribeError::Unsupported(format!(
                "{} (PKCS#12 PBE with SHA-1)",
                cipher.name()
            )))
        }
    };
    Ok(plaintext)
}

/// Decrypts CBC with PKCS#7 padding. Returns `None` on a bad key length or bad padding; bad
/// padding is what a wrong password usually produces.
fn cbc_decrypt<C>(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    decryptor.decrypt_padded_vec_mut::<Pkcs7>(ciphertext).ok()
}

/// Decrypts RC2-CBC with the given effective key length in bits (RFC 2268).
fn rc2_decrypt(key: &[u8], effective_bits: usize, iv: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>> {
    let cipher = rc2::Rc2::new_with_eff_key_len(key, effective_bits);
    let decryptor = cbc::Decryptor::inner_iv_slice_init(cipher, iv).ok()?;
    decryptor.decrypt_padded_vec_mut::<Pkcs7>(ciphertext).ok()
}

#[cfg(test)]
mod tests {
    use der::asn1::{Any, OctetString};
    use der::{Decode, Encode};

    use super::*;
    use crate::pfx::MAX_ITERATIONS;

    fn algorithm(oid: ObjectIdentifier, params_der: &[u8]) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid,
            parameters: Some(Any::from_der(params_der).expect("valid DER")),
        }
    }

    fn decrypt_error(algorithm: &AlgorithmIdentifierOwned) -> DescribeError {
        let mut budget = IterationBudget::new();
        let result = decrypt_with(algorithm, &[0u8; 32], "pw", &mut budget, Some);
        result.expect_err("decryption must fail")
    }

    #[test]
    fn pbes2_iterations_over_cap() {
        let salt = [7u8; 16];
        let iv = [9u8; 16];
        let params = Parameters::pbkdf2_sha256_aes256cbc(20_000_000, &salt, &iv).expect("params");
        let error = decrypt_error(&algorithm(ID_PBES2, &params.to_der().expect("encode")));
        assert!(
            matches!(&error, DescribeError::Unsupported(what) if what.contains("20000000")),
            "{error:?}"
        );
    }

    #[test]
    fn pkcs12_pbe_iterations_over_cap() {
        let params = Pkcs12PbeParams {
            salt: OctetString::new(vec![1u8; 8]).expect("salt"),
            iterations: 20_000_000,
        };
        let oid = pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC;
        let error = decrypt_error(&algorithm(oid, &params.to_der().expect("encode")));
        assert!(matches!(error, DescribeError::Unsupported(_)), "{error:?}");
    }

    #[test]
    fn pkcs12_pbe_negative_iterations() {
        let params = Pkcs12PbeParams {
            salt: OctetString::new(vec![1u8; 8]).expect("salt"),
            iterations: -5,
        };
        let oid = pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC;
        let error = decrypt_error(&algorithm(oid, &params.to_der().expect("encode")));
        assert!(matches!(error, DescribeError::Malformed(_)), "{error:?}");
    }

    #[test]
    fn rc4_unsupported() {
        let params = Pkcs12PbeParams {
            salt: OctetString::new(vec![1u8; 8]).expect("salt"),
            iterations: 1,
        };
        let oid = pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC4;
        let error = decrypt_error(&algorithm(oid, &params.to_der().expect("encode")));
        assert!(matches!(error, DescribeError::Unsupported(_)), "{error:?}");
    }

    #[test]
    fn budget_exhausted() {
        let mut budget = IterationBudget::new();
        for _ in 0..2 {
            assert!(budget.spend("test", MAX_ITERATIONS, 2).is_ok());
        }
        assert!(budget.spend("test", 1, 1).is_err());
    }

    #[test]
    fn budget_rejects_one_large_derivation() {
        let mut budget = IterationBudget::new();
        assert!(budget.spend("test", MAX_ITERATIONS + 1, 1).is_err());
    }

    #[test]
    fn encryption_wording() {
        let pbes2 = Encryption::Pbes2 {
            cipher: Pbes2Cipher::Aes128Cbc,
            prf: Prf::HmacSha1,
            iterations: 2048,
        };
        assert_eq!(
            pbes2.to_string(),
            "AES-128-CBC, PBKDF2 with HMAC-SHA1, 2048 iterations"
        );
        assert_eq!(Encryption::NotEncrypted.to_string(), "not encrypted");
    }
}
