//! Test corpus of certificate files, made with the `openssl` and `keytool` command-line tools
//! the first time a test of the binary needs it.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Password of every generated PFX file unless a test states another.
pub const PASSWORD: &str = "secret";
/// Non-ASCII password with characters of two scripts.
pub const UNICODE_PASSWORD: &str = "pässwörd-日本";
/// Store password of the Java keystore.
pub const KEYTOOL_PASSWORD: &str = "changeit";

/// Validity of the expired certificate, written with `openssl ca -startdate/-enddate`
/// because `openssl req` in OpenSSL 3.0 has no `-not_before`/`-not_after`.
pub const EXPIRED_NOT_BEFORE: i64 = 1_577_836_800; // 2020-01-01T00:00:00Z
pub const EXPIRED_NOT_AFTER: i64 = 1_609_459_200; // 2021-01-01T00:00:00Z

/// Returns the folder holding the generated files, making them on first use.
pub fn corpus() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(build_corpus)
}

/// Reads a generated file.
pub fn read(name: &str) -> Vec<u8> {
    let path = corpus().join(name);
    fs::read(&path).unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()))
}

/// Reads the Veeam documentation example PFX, stored as Base64 text.
pub fn veeam_example() -> Vec<u8> {
    use base64::Engine as _;
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/veeam-example-certificate.b64");
    let text = fs::read_to_string(&path).expect("fixture is readable");
    let compact: String = text.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .expect("fixture is valid Base64")
}

/// Returns the SHA-1 fingerprint `openssl x509 -fingerprint` prints, without colons.
pub fn openssl_thumbprint(pem: &str) -> String {
    let output = openssl(&["x509", "-in", pem, "-noout", "-fingerprint", "-sha1"]);
    let (_, value) = output
        .trim()
        .split_once('=')
        .expect("fingerprint line has '='");
    value.replace(':', "")
}

/// Returns notBefore and notAfter as RFC 3339 text, from `openssl x509 -dates`.
pub fn openssl_dates(pem: &str) -> (String, String) {
    let output = openssl(&[
        "x509", "-in", pem, "-noout", "-dates", "-dateopt", "iso_8601",
    ]);
    let mut not_before = String::new();
    let mut not_after = String::new();
    for line in output.lines() {
        if let Some(value) = line.strip_prefix("notBefore=") {
            not_before = value.replace(' ', "T");
        }
        if let Some(value) = line.strip_prefix("notAfter=") {
            not_after = value.replace(' ', "T");
        }
    }
    (not_before, not_after)
}

/// Runs `openssl` in the corpus folder and returns its standard output.
pub fn openssl(args: &[&str]) -> String {
    run_in(corpus(), "openssl", args)
}

fn run_in(dir: &Path, program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|error| panic!("failed to start {program}: {error}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn build_corpus() -> PathBuf {
    // One folder per test binary under Cargo's temporary folder for integration tests, so
    // the binaries can run at the same time and `cargo clean` removes the files.
    let binary = std::env::current_exe()
        .ok()
        .and_then(|path| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "tests".to_string());
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pfx-corpus-{binary}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp folder can be made");
    let ssl = |args: &[&str]| run_in(&dir, "openssl", args);
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let pass = format!("pass:{PASSWORD}");

    // Self-signed certificate with key, exported in each way under test.
    ssl(&[
        &["req", "-x509"][..],
        &ec,
        &[
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "365",
            "-subj",
            "/O=Contoso/CN=restore-app",
        ],
    ]
    .concat());
    let export = |out: &str, extra: &[&str]| {
        let base = [
            "pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem", "-out", out,
        ];
        ssl(&[&base[..], extra].concat());
    };
    export("default.pfx", &["-passout", &pass]);
    export("legacy.pfx", &["-legacy", "-passout", &pass]);
    export("nomac.pfx", &["-nomac", "-passout", &pass]);
    export("empty-password.pfx", &["-passout", "pass:"]);
    export(
        "unicode.pfx",
        &["-passout", &format!("pass:{UNICODE_PASSWORD}")],
    );
    export("sha1-aes.pfx", &["-macalg", "sha1", "-passout", &pass]);
    ssl(&[
        "pkcs12",
        "-export",
        "-nokeys",
        "-in",
        "cert.pem",
        "-out",
        "nokeys.pfx",
        "-passout",
        &pass,
    ]);
    ssl(&[
        "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.cer",
    ]);

    // Chain: root CA, intermediate CA, leaf.
    ssl(&[
        &["req", "-x509"][..],
        &ec,
        &[
            "-keyout",
            "root.key",
            "-out",
            "root.pem",
            "-days",
            "365",
            "-subj",
            "/O=Contoso/CN=Contoso Root CA",
        ],
    ]
    .concat());
    fs::write(
        dir.join("ca.ext"),
        "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n",
    )
    .expect("write ca.ext");
    ssl(&[
        &["req", "-new"][..],
        &ec,
        &[
            "-keyout",
            "inter.key",
            "-out",
            "inter.csr",
            "-subj",
            "/O=Contoso/CN=Contoso Issuing CA",
        ],
    ]
    .concat());
    ssl(&[
        "x509",
        "-req",
        "-in",
        "inter.csr",
        "-CA",
        "root.pem",
        "-CAkey",
        "root.key",
        "-CAcreateserial",
        "-days",
        "365",
        "-extfile",
        "ca.ext",
        "-out",
        "inter.pem",
    ]);
    ssl(&[
        &["req", "-new"][..],
        &ec,
        &[
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/O=Contoso/CN=restore-chain",
        ],
    ]
    .concat());
    ssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "inter.pem",
        "-CAkey",
        "inter.key",
        "-CAcreateserial",
        "-days",
        "365",
        "-out",
        "leaf.pem",
    ]);
    let chain = [
        fs::read(dir.join("inter.pem")).expect("inter.pem"),
        fs::read(dir.join("root.pem")).expect("root.pem"),
    ]
    .concat();
    fs::write(dir.join("chain.pem"), chain).expect("write chain.pem");
    ssl(&[
        "pkcs12",
        "-export",
        "-in",
        "leaf.pem",
        "-inkey",
        "leaf.key",
        "-certfile",
        "chain.pem",
        "-out",
        "chain.pfx",
        "-passout",
        &pass,
    ]);

    // Expired certificate: `openssl ca -selfsign` takes explicit past dates.
    fs::create_dir_all(dir.join("newcerts")).expect("newcerts folder");
    fs::write(dir.join("index.txt"), "").expect("write index.txt");
    fs::write(dir.join("serial"), "1000\n").expect("write serial");
    fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca = local\n[local]\ndir = .\ndatabase = index.txt\nnew_certs_dir = newcerts\nserial = serial\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\norganizationName = optional\n",
    )
    .expect("write ca.cnf");
    ssl(&[
        &["req", "-new"][..],
        &ec,
        &[
            "-keyout",
            "expired.key",
            "-out",
            "expired.csr",
            "-subj",
            "/O=Contoso/CN=expired-app",
        ],
    ]
    .concat());
    ssl(&[
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-selfsign",
        "-keyfile",
        "expired.key",
        "-in",
        "expired.csr",
        "-startdate",
        "20200101000000Z",
        "-enddate",
        "20210101000000Z",
        "-notext",
        "-out",
        "expired.pem",
    ]);
    ssl(&[
        "pkcs12",
        "-export",
        "-in",
        "expired.pem",
        "-inkey",
        "expired.key",
        "-out",
        "expired.pfx",
        "-passout",
        &pass,
    ]);

    // Java keystore in PKCS#12 form.
    run_in(
        &dir,
        "keytool",
        &[
            "-genkeypair",
            "-storetype",
            "PKCS12",
            "-keystore",
            "java.p12",
            "-storepass",
            KEYTOOL_PASSWORD,
            "-alias",
            "app",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=java-app, O=Contoso",
            "-validity",
            "365",
        ],
    );
    run_in(
        &dir,
        "keytool",
        &[
            "-exportcert",
            "-rfc",
            "-keystore",
            "java.p12",
            "-storepass",
            KEYTOOL_PASSWORD,
            "-alias",
            "app",
            "-file",
            "java.pem",
        ],
    );

    write_base64_variants(&dir);
    dir
}

/// Writes the Base64 text of default.pfx as `Out-File` does in PowerShell 7 (UTF-8 without
/// BOM, CRLF) and in Windows PowerShell 5.1 (UTF-16LE with BOM), plus UTF-8 with BOM and
/// 64-column lines.
fn write_base64_variants(dir: &Path) {
    use base64::Engine as _;
    let pfx = fs::read(dir.join("default.pfx")).expect("default.pfx");
    let text = base64::engine::general_purpose::STANDARD.encode(pfx);
    fs::write(dir.join("base64-utf8.txt"), format!("{text}\r\n")).expect("write");

    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    let wrapped: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|chunk| std::str::from_utf8(chunk).expect("Base64 is ASCII"))
        .collect();
    with_bom.extend_from_slice(wrapped.join("\n").as_bytes());
    with_bom.push(b'\n');
    fs::write(dir.join("base64-utf8-bom.txt"), with_bom).expect("write");

    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("{text}\r\n").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    fs::write(dir.join("base64-utf16le.txt"), utf16).expect("write");

    let cer = fs::read(dir.join("cert.cer")).expect("cert.cer");
    let cer_text = base64::engine::general_purpose::STANDARD.encode(cer);
    fs::write(dir.join("cert-base64.txt"), cer_text).expect("write");
}
