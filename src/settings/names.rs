//! The names settings give to NATS things, as types that are valid once made:
//! the subject prefix, stream and consumer names, and the HTTP listen address.
//! Each is text underneath (it derefs to `str`) and is checked when the
//! settings are read, so a bad one fails at start naming its key.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

use crate::core::subject::Subject;

/// Declares a checked text newtype: `parse` checks, serde goes through it.
macro_rules! checked_text {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps a name.
            ///
            /// # Errors
            /// What is wrong with it, in plain words.
            pub fn parse(s: &str) -> Result<$name, String> {
                let check: fn(&str) -> Result<(), String> = $check;
                check(s).map(|()| $name(s.to_string()))
            }
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(n: $name) -> String {
                n.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                $name::parse(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A stream or consumer name: what JetStream takes.
fn jetstream_name(s: &str) -> Result<(), String> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(())
    } else {
        Err(format!("{s:?} is not a JetStream name: use ASCII letters, digits, '-' and '_'"))
    }
}

checked_text!(
    /// The first token(s) of every subject (`news`, `acme.news`).
    SubjectPrefix,
    |s| match Subject::join(s, &[]) {
        Ok(_) => Ok(()),
        Err(_) => Err(format!("{s:?} is not a subject prefix: use dot-separated tokens of ASCII letters, digits, '-' and '_'")),
    }
);

checked_text!(
    /// A JetStream stream name (`NEWS_PAGES`).
    StreamName,
    jetstream_name
);

checked_text!(
    /// A durable consumer name (`newsdesk`).
    ConsumerName,
    jetstream_name
);

checked_text!(
    /// The HTTP server's `host:port` (an IP address), or empty for no HTTP server.
    ListenAddr,
    |s| {
        if s.is_empty() || s.parse::<SocketAddr>().is_ok() {
            Ok(())
        } else {
            Err(format!("{s:?} is not an address to listen on: use IP:port, e.g. 0.0.0.0:8080, or empty to turn it off"))
        }
    }
);

impl ListenAddr {
    /// The address, or `None` when HTTP is off.
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        self.0.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_when_made() {
        assert_eq!(&*SubjectPrefix::parse("acme.news").unwrap(), "acme.news");
        assert!(SubjectPrefix::parse("a b").unwrap_err().contains("subject prefix"));
        assert!(SubjectPrefix::parse("news.>").is_err());
        assert!(StreamName::parse("NEWS_PAGES").is_ok() && StreamName::parse("NEWS.PAGES").is_err());
        assert!(ConsumerName::parse("").is_err());
        assert_eq!(ListenAddr::parse("127.0.0.1:8080").unwrap().socket_addr().unwrap().port(), 8080);
        assert_eq!(ListenAddr::parse("").unwrap().socket_addr(), None);
        assert!(ListenAddr::parse("localhost:80").unwrap_err().contains("IP:port"));
        let p: StreamName = serde_json::from_str("\"X_Y\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"X_Y\"");
        assert!(serde_json::from_str::<StreamName>("\"x y\"").is_err());
    }
}
