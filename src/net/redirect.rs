//! Redirects, followed by the request path itself, hop by hop: so that
//! each hop shows in `--verbose`, a failure names the host that failed, and
//! a redirect to a scheme other than http(s) is refused.

use ureq::http::{self, Response, Uri};

use crate::failure::Failure;
use crate::text::one_line;

/// Redirects followed for one request (or one link), at most.
pub const MAX_REDIRECTS: u32 = 5;

/// Where a redirect leads: the `Location` of a 301, 302, 303, 307 or 308.
/// Other answers (304, a 3xx without `Location`) are answers.
pub fn redirect_location(response: &Response<ureq::Body>) -> Option<&http::HeaderValue> {
    matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308)
        .then(|| response.headers().get(http::header::LOCATION))
        .flatten()
}

/// The URL a `Location` names, read against the URL that answered with it
/// (`who`, in messages: `the API`, a link's host). Only http and https are
/// followed: anything else is an answer not understood (76), final.
pub fn redirect_target(
    from: &Uri,
    location: &http::HeaderValue,
    who: &str,
) -> Result<Uri, Failure> {
    let bad = |why: &str| Failure::BadResponse(format!("{who} redirected {why}"));
    let location = location
        .to_str()
        .map_err(|_| bad("to a Location that is not text"))?
        .trim();
    let scheme = from.scheme_str().unwrap_or("https");
    let authority = from.authority().map_or("", |a| a.as_str());
    let named_scheme = location
        .split_once(':')
        .map(|(name, _)| name)
        .filter(|name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    let absolute = if let Some(named) = named_scheme {
        if !["http", "https"]
            .iter()
            .any(|s| named.eq_ignore_ascii_case(s))
        {
            return Err(bad(&format!(
                "to a {}: URL; only http and https are followed",
                one_line(named)
            )));
        }
        location.to_string()
    } else if location.starts_with("//") {
        format!("{scheme}:{location}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = from.path();
        let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let folder = if folder.is_empty() { "/" } else { folder };
        format!("{scheme}://{authority}{folder}{location}")
    };
    let target: Uri = absolute
        .parse()
        .map_err(|_| bad("to a Location that is not a URL"))?;
    match target.scheme_str() {
        Some("http" | "https") if target.host().is_some_and(|h| !h.is_empty()) => Ok(target),
        Some("http" | "https") => Err(bad("to a URL without a host")),
        Some(other) => Err(bad(&format!(
            "to a {}: URL; only http and https are followed",
            one_line(other)
        ))),
        None => Err(bad("to a Location that is not a URL")),
    }
}

/// The `Host` header: the host, and the port unless it is the scheme's own.
pub fn host_header(url: &Uri) -> String {
    let default = match url.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    };
    match (url.host(), url.port_u16()) {
        (Some(host), Some(port)) if Some(port) != default => format!("{host}:{port}"),
        (Some(host), _) => host.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_header_has_the_port_unless_it_is_the_scheme_s_own() {
        let header = |url: &str| host_header(&url.parse().unwrap());
        assert_eq!(header("https://api.beam.cloud/x"), "api.beam.cloud");
        assert_eq!(header("https://api.beam.cloud:443/x"), "api.beam.cloud");
        assert_eq!(header("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_eq!(header("http://[::1]:80/x"), "[::1]");
    }

    #[test]
    fn a_location_is_read_against_the_url_that_answered() {
        let from: Uri = "https://api.beam.cloud/v2/task/a/?x=1".parse().unwrap();
        let target = |location: &str| {
            redirect_target(
                &from,
                &http::HeaderValue::from_str(location).unwrap(),
                "the API",
            )
            .map(|u| u.to_string())
        };
        assert_eq!(
            target("https://other.example/p").unwrap(),
            "https://other.example/p"
        );
        assert_eq!(
            target("//other.example/p").unwrap(),
            "https://other.example/p"
        );
        assert_eq!(
            target("/v3/task/a/").unwrap(),
            "https://api.beam.cloud/v3/task/a/"
        );
        assert_eq!(target("b/").unwrap(), "https://api.beam.cloud/v2/task/a/b/");
        for refused in [
            "ftp://files.example/a",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            let err = target(refused).unwrap_err();
            assert_eq!(
                err.exit_code(),
                crate::exit_codes::ExitCode::BadResponse,
                "{refused}"
            );
        }
    }
}
