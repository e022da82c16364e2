//! Which certificate authorities the client trusts.
//!
//! The policy, so that users behind a corporate TLS proxy can work:
//! - the bundled Mozilla roots are always trusted, so that a machine without
//!   a trust store (a slim container) still reaches the API;
//! - the system's trust store as well: on Linux and the BSDs its files, as
//!   OpenSSL finds them (`SSL_CERT_FILE` and `SSL_CERT_DIR` take the place
//!   of the usual locations; see [`system_roots`]); on macOS and Windows the
//!   operating system's own verifier;
//! - `SSL_CERT_FILE` adds the CAs of a PEM file on top of the bundled roots.
//!   On macOS and Windows ureq cannot add roots to the system's verifier, so
//!   there the file and the bundled roots are trusted instead of it.
//!
//! Certificates are always verified; there is no switch to turn that off.
//!
//! A run reads each file once, and keeps a copy only of the certificates
//! that are not bundled.

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use ureq::tls::{Certificate, RootCerts};

use std::sync::OnceLock;

use crate::failure::Failure;

/// The roots to verify the API's certificate with, read once per run
/// however many hosts are asked (the task API, the workspace API, storage
/// hosts). Fails (exit 78) when `SSL_CERT_FILE` is set but cannot be read or
/// holds no certificate.
pub fn root_certs() -> Result<RootCerts, Failure> {
    static ROOTS: OnceLock<Result<RootCerts, Failure>> = OnceLock::new();
    ROOTS.get_or_init(load_root_certs).clone()
}

fn load_root_certs() -> Result<RootCerts, Failure> {
    let cert_file = std::env::var_os("SSL_CERT_FILE").filter(|path| !path.is_empty());
    let added = match &cert_file {
        Some(path) => Some(certs_from_file(path)?),
        None => None,
    };
    // Where ureq's platform verifier asks the operating system itself (and
    // only there is it built). Elsewhere it only reads the store's files,
    // which `system_roots` does too, and it would not fall back to the
    // bundled roots.
    #[cfg(any(target_vendor = "apple", windows))]
    if added.is_none() {
        return Ok(RootCerts::PlatformVerifier);
    }
    let mut roots = bundled_roots();
    roots.sort_unstable_by(|a, b| a.der().cmp(b.der()));
    let bundled = roots.len();
    // Most of a system store's roots are bundled too: only the others are
    // kept.
    system_roots(cert_file.as_deref(), &mut |der| {
        let known = roots[..bundled].binary_search_by(|root| root.der().cmp(der));
        if known.is_err() {
            roots.push(Certificate::from_der(der).to_owned());
        }
    });
    roots.extend(added.into_iter().flatten());
    // A system store may hold a root several times over (say, a bundle
    // file in a certificate directory).
    roots.sort_unstable_by(|a, b| a.der().cmp(b.der()));
    roots.dedup_by(|a, b| a.der() == b.der());
    Ok(RootCerts::from(roots))
}

/// The bundled roots alone, for a plain-http API that redirects to https:
/// no trust store is read for it, and ureq has no roots of its own.
pub fn bundled_root_certs() -> RootCerts {
    RootCerts::from(bundled_roots())
}

/// Mozilla's roots, compiled in.
fn bundled_roots() -> Vec<Certificate<'static>> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()))
        .collect()
}

/// Calls `found` with each certificate (DER) of the system's trust store,
/// as OpenSSL would find it, given the `SSL_CERT_FILE` already read (its
/// certificates are added by the caller).
///
/// `SSL_CERT_FILE` and `SSL_CERT_DIR` (a `:`-separated list) take the place
/// of the usual locations. Otherwise the first bundle file found among the
/// usual ones (`/etc/ssl/certs/ca-certificates.crt`,
/// `/etc/pki/tls/certs/ca-bundle.crt`, ...: openssl-probe's list) holds the
/// whole store, and only without one are the usual directories read, one
/// file per certificate. Unreadable entries are skipped: the bundled roots
/// still apply.
#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
fn system_roots(cert_file: Option<&OsStr>, found: &mut dyn FnMut(&[u8])) {
    let cert_dirs: Vec<std::path::PathBuf> = match std::env::var_os("SSL_CERT_DIR") {
        Some(dirs) => std::env::split_paths(&dirs)
            .filter(|dir| !dir.as_os_str().is_empty())
            .collect(),
        None => Vec::new(),
    };
    if cert_file.is_some() || !cert_dirs.is_empty() {
        return certs_from_dirs(&cert_dirs, cert_file.map(Path::new), found);
    }
    let usual = openssl_probe::probe();
    if let Some(bundle) = &usual.cert_file {
        let mut count = 0;
        let _ = read_pem_certs(bundle, &mut |der| {
            count += 1;
            found(der);
        });
        if count > 0 {
            return;
        }
    }
    certs_from_dirs(&usual.cert_dir, None, found);
}

#[cfg(not(all(unix, not(target_vendor = "apple"), not(target_os = "android"))))]
fn system_roots(_cert_file: Option<&OsStr>, _found: &mut dyn FnMut(&[u8])) {}

/// Calls `found` with the certificates of every file in `dirs` (not their
/// subdirectories). A file is read once however many links lead to it (a
/// directory made by `openssl rehash` has a hash-named link beside each
/// certificate), and `read_already` not at all.
#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
fn certs_from_dirs(
    dirs: &[std::path::PathBuf],
    read_already: Option<&Path>,
    found: &mut dyn FnMut(&[u8]),
) {
    use std::collections::HashSet;
    use std::os::unix::fs::MetadataExt;

    let id = |meta: &std::fs::Metadata| (meta.dev(), meta.ino());
    let mut seen: HashSet<(u64, u64)> = read_already
        .and_then(|path| std::fs::metadata(path).ok())
        .map(|meta| id(&meta))
        .into_iter()
        .collect();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            // Follows links; a dangling one is skipped.
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_file() && seen.insert(id(&meta)) {
                let _ = read_pem_certs(&path, found);
            }
        }
    }
}

/// Calls `found` with the DER of each `CERTIFICATE` block of a PEM file;
/// anything else in it, and a block that is not base64, is ignored. The
/// file is streamed: a store's bundle is large (some 220 kB). Not
/// rustls-pki-types' PEM reader: its constant-time base64 (right for keys,
/// not needed for public certificates) read the system bundle in 395 µs
/// against this one's 158 µs, and every https run reads it.
fn read_pem_certs(path: &Path, found: &mut dyn FnMut(&[u8])) -> io::Result<()> {
    let mut file = BufReader::with_capacity(64 * 1024, std::fs::File::open(path)?);
    let (mut line, mut base64, mut der) = (Vec::new(), Vec::new(), Vec::new());
    let mut in_block = false;
    loop {
        line.clear();
        if file.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = line.trim_ascii();
        if !in_block {
            in_block = text == b"-----BEGIN CERTIFICATE-----";
            base64.clear();
        } else if text == b"-----END CERTIFICATE-----" {
            in_block = false;
            der.clear();
            if BASE64_STANDARD.decode_vec(&base64, &mut der).is_ok() {
                found(&der);
            }
        } else {
            base64.extend_from_slice(text);
        }
    }
}

/// The certificates of a PEM file; a file without any is a mistake worth
/// telling, not an empty addition.
fn certs_from_file(path: &OsStr) -> Result<Vec<Certificate<'static>>, Failure> {
    let shown = path.to_string_lossy();
    let mut certs = Vec::new();
    read_pem_certs(Path::new(path), &mut |der| {
        certs.push(Certificate::from_der(der).to_owned());
    })
    .map_err(|e| Failure::Config {
        message: format!("cannot read SSL_CERT_FILE {shown}: {e}"),
        hint: Some("point SSL_CERT_FILE at a PEM file of CA certificates, or unset it".into()),
    })?;
    if certs.is_empty() {
        return Err(Failure::Config {
            message: format!("SSL_CERT_FILE {shown} holds no PEM certificate"),
            hint: Some("it must hold \"-----BEGIN CERTIFICATE-----\" blocks".into()),
        });
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh self-signed CA certificate, as PEM.
    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn a_pem_file_adds_its_certificates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, format!("some text\n{}{}", ca_pem(), ca_pem())).unwrap();
        let certs = certs_from_file(path.as_os_str()).unwrap();
        assert_eq!(certs.len(), 2);
    }

    #[test]
    fn pem_blocks_are_read_whatever_the_line_ends_and_bad_ones_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mixed.pem");
        let crlf = ca_pem().replace('\n', "\r\n");
        let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let not_base64 = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let unended = "-----BEGIN CERTIFICATE-----\nAAAA\n";
        std::fs::write(
            &path,
            format!(
                "# a comment\n{crlf}{key}{not_base64}  {}{unended}",
                ca_pem()
            ),
        )
        .unwrap();
        let mut found = Vec::new();
        read_pem_certs(&path, &mut |der| found.push(der.to_vec())).unwrap();
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|der| der.first() == Some(&0x30)), "DER");
    }

    /// A certificate directory as `openssl rehash` leaves it: each file is
    /// read once, whatever links lead to it, and a file already read (the
    /// `SSL_CERT_FILE`) not again.
    #[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
    #[test]
    fn a_directory_is_read_once_per_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("certs");
        std::fs::create_dir(&store).unwrap();
        for name in ["a.pem", "b.pem", "c.pem"] {
            std::fs::write(store.join(name), ca_pem()).unwrap();
        }
        std::os::unix::fs::symlink(store.join("a.pem"), store.join("1234abcd.0")).unwrap();
        std::os::unix::fs::symlink(store.join("gone.pem"), store.join("dangling.0")).unwrap();
        std::fs::create_dir(store.join("sub")).unwrap();
        std::fs::write(store.join("sub").join("d.pem"), ca_pem()).unwrap();
        let mut read = 0;
        certs_from_dirs(std::slice::from_ref(&store), None, &mut |_| read += 1);
        assert_eq!(read, 3);
        let mut read = 0;
        certs_from_dirs(
            std::slice::from_ref(&store),
            Some(&store.join("c.pem")),
            &mut |_| read += 1,
        );
        assert_eq!(read, 2);
    }

    #[test]
    fn a_missing_or_certless_file_is_a_config_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let err = certs_from_file(missing.as_os_str()).unwrap_err();
        assert!(matches!(err, Failure::Config { .. }), "{err:?}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = certs_from_file(empty.as_os_str()).unwrap_err();
        assert!(err.to_string().contains("no PEM certificate"), "{err}");
    }

    #[test]
    fn bundled_roots_are_many() {
        assert!(bundled_roots().len() > 100);
    }
}
