//! A decoded page: its text, its metadata and its content-hash id.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::article::PageRef;
use super::subject::RegionCode;

/// What a publisher told us about a page (envelope fields or headers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMeta {
    /// Paper name, e.g. `运城日报`.
    pub paper: Option<String>,
    /// Issue date as given, e.g. `2025-05-06`.
    pub date: Option<String>,
    /// Page number or name.
    pub page: Option<String>,
    /// The paper's home area, used to resolve 我县/我市.
    pub home_region: Option<RegionCode>,
}

impl PageMeta {
    /// Fills the fields `self` lacks from `other` (self wins).
    pub fn or(self, other: &PageMeta) -> PageMeta {
        PageMeta {
            paper: self.paper.or_else(|| other.paper.clone()),
            date: self.date.or_else(|| other.date.clone()),
            page: self.page.or_else(|| other.page.clone()),
            home_region: self.home_region.or_else(|| other.home_region.clone()),
        }
    }
}

/// One page dump, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Content hash of the text: 16 hex digits.
    pub id: String,
    /// The page text (UTF-8, line ends normalised to `\n`).
    pub text: String,
    /// Publisher metadata.
    pub meta: PageMeta,
}

impl Page {
    /// Builds a page, normalising line ends and computing its id from the text.
    pub fn new(text: &str, meta: PageMeta) -> Page {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        Page { id: content_id(text.as_bytes()), text, meta }
    }

    /// The page reference carried by each of its articles.
    pub fn reference(&self) -> PageRef {
        PageRef {
            id: self.id.clone(),
            paper: self.meta.paper.clone(),
            date: self.meta.date.clone(),
            page: self.meta.page.clone(),
        }
    }
}

/// First 16 hex digits of the SHA-256 of `bytes`: the id of pages and the
/// `Nats-Msg-Id` of published page dumps.
pub fn content_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    hex::encode(&digest[..8])
}
