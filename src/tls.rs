//! Which certificate authorities the client trusts.
//!
//! The policy, so that users behind a corporate TLS proxy can work:
//! - the bundled Mozilla roots are always trusted, so that a machine without
//!   a trust store (a slim container) still reaches the API;
//! - the system's trust store as well: on Linux and the BSDs its files
//!   (read by rustls-native-certs, which takes `SSL_CERT_FILE` and
//!   `SSL_CERT_DIR` in place of the usual locations, as OpenSSL does); on
//!   macOS and Windows the operating system's own verifier;
//! - `SSL_CERT_FILE` adds the CAs of a PEM file on top of the bundled roots.
//!   On macOS and Windows ureq cannot add roots to the system's verifier, so
//!   there the file and the bundled roots are trusted instead of it.
//!
//! Certificates are always verified; there is no switch to turn that off.

use std::ffi::OsString;

use ureq::tls::{Certificate, PemItem, RootCerts};

use crate::failure::Failure;

/// True where ureq's platform verifier asks the operating system itself.
/// Elsewhere it only reads the store's files, which [`system_roots`] does
/// too, and it would not fall back to the bundled roots.
const OS_VERIFIER: bool = cfg!(any(target_vendor = "apple", windows));

/// The roots to verify the API's certificate with. Fails (exit 78) when
/// `SSL_CERT_FILE` is set but cannot be read or holds no certificate.
pub fn root_certs() -> Result<RootCerts, Failure> {
    let added = match std::env::var_os("SSL_CERT_FILE") {
        Some(path) if !path.is_empty() => Some(certs_from_file(&path)?),
        _ => None,
    };
    if OS_VERIFIER && added.is_none() {
        return Ok(RootCerts::PlatformVerifier);
    }
    let mut roots = bundled_roots();
    roots.extend(system_roots());
    roots.extend(added.into_iter().flatten());
    // A system store holds the same roots several times over (a bundle
    // file and one file each), and most of them are bundled too.
    roots.sort_unstable_by(|a, b| a.der().cmp(b.der()));
    roots.dedup_by(|a, b| a.der() == b.der());
    Ok(RootCerts::from(roots))
}

/// Mozilla's roots, compiled in.
fn bundled_roots() -> Vec<Certificate<'static>> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()))
        .collect()
}

/// The system's trust store, as OpenSSL would find it. Unreadable entries
/// are skipped: the bundled roots still apply.
#[cfg(all(unix, not(target_vendor = "apple"), not(target_os = "android")))]
fn system_roots() -> Vec<Certificate<'static>> {
    rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect()
}

#[cfg(not(all(unix, not(target_vendor = "apple"), not(target_os = "android"))))]
fn system_roots() -> Vec<Certificate<'static>> {
    Vec::new()
}

/// The certificates of a PEM file; a file without any is a mistake worth
/// telling, not an empty addition.
fn certs_from_file(path: &OsString) -> Result<Vec<Certificate<'static>>, Failure> {
    let shown = path.to_string_lossy();
    let pem = std::fs::read(path).map_err(|e| Failure::Config {
        message: format!("cannot read SSL_CERT_FILE {shown}: {e}"),
        hint: Some("point SSL_CERT_FILE at a PEM file of CA certificates, or unset it".into()),
    })?;
    let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect();
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
        let certs = certs_from_file(&path.into_os_string()).unwrap();
        assert_eq!(certs.len(), 2);
    }

    #[test]
    fn a_missing_or_certless_file_is_a_config_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let err = certs_from_file(&missing.into_os_string()).unwrap_err();
        assert!(matches!(err, Failure::Config { .. }), "{err:?}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = certs_from_file(&empty.into_os_string()).unwrap_err();
        assert!(err.to_string().contains("no PEM certificate"), "{err}");
    }

    #[test]
    fn bundled_roots_are_many() {
        assert!(bundled_roots().len() > 100);
    }
}
