//! Settings: one typed struct, layered from built-in defaults, an optional
//! TOML file (`config/newsdesk.toml` or `--config`), `NATS_URL`, then
//! `NEWSDESK_*` environment variables (`NEWSDESK_MAX_PAGE_BYTES` sets
//! `max_page_bytes`). Validated once; invalid values fail at start with a
//! message naming the key.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::core::subject::{RegionCode, Subject};

/// Prefix of the environment variables that override settings.
pub const ENV_PREFIX: &str = "NEWSDESK_";
/// The config file read when it exists and no other is named.
pub const DEFAULT_CONFIG_FILE: &str = "config/newsdesk.toml";

/// A secret value: never printed, serialised as `"[redacted]"`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("[redacted]")
    }
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Human,
    /// One JSON object a line.
    Json,
}

/// Every setting of newsdesk. Keys are the field names; environment
/// variables are `NEWSDESK_` + the key in upper case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// NATS server URL(s), comma-separated for a cluster.
    pub nats_url: String,
    /// Token authentication.
    pub nats_token: Option<Secret>,
    /// File holding the token (for compose secrets).
    pub nats_token_file: Option<PathBuf>,
    /// User for user/password authentication.
    pub nats_user: Option<String>,
    /// Password for user/password authentication.
    pub nats_password: Option<Secret>,
    /// File holding the password (for compose secrets).
    pub nats_password_file: Option<PathBuf>,
    /// NKey seed authentication.
    pub nats_nkey: Option<Secret>,
    /// File holding the NKey seed (for compose secrets).
    pub nats_nkey_file: Option<PathBuf>,
    /// Credentials file (JWT + seed).
    pub nats_creds: Option<PathBuf>,
    /// CA certificate to trust for TLS.
    pub nats_tls_ca: Option<PathBuf>,
    /// Client certificate for TLS.
    pub nats_tls_cert: Option<PathBuf>,
    /// Client key for TLS.
    pub nats_tls_key: Option<PathBuf>,
    /// Require TLS.
    pub nats_tls_required: bool,
    /// First subject token(s) of every subject (`news`).
    pub subject_prefix: String,
    /// Stream holding page dumps.
    pub pages_stream: String,
    /// Stream holding articles.
    pub articles_stream: String,
    /// Stream holding dead letters.
    pub dead_stream: String,
    /// Stream holding the page records (where each line of a page went).
    pub audit_stream: String,
    /// Replicas of each stream (1, or 3 on a three-node cluster).
    pub stream_replicas: usize,
    /// Durable consumer name on the pages stream.
    pub durable: String,
    /// When an existing stream or consumer differs from this configuration:
    /// update it (true) or refuse to start (false).
    pub adapt_to_config: bool,
    /// Also publish each article on `<prefix>.articles.region.<province>.<city>.<county>`.
    pub region_subjects: bool,
    /// Largest page payload accepted, in bytes.
    pub max_page_bytes: usize,
    /// Longest line accepted, in characters.
    pub max_line_chars: usize,
    /// Most articles accepted on one page.
    pub max_articles: usize,
    /// Pages in flight at once: being split and tagged, or waiting for
    /// JetStream to acknowledge their articles.
    pub concurrency: usize,
    /// Pages split and tagged at once (CPU work); 0: one per CPU core.
    pub cpu_workers: usize,
    /// Pages delivered but not yet acknowledged, at most.
    pub max_ack_pending: i64,
    /// Seconds JetStream waits for an ack before redelivering.
    pub ack_wait_secs: u64,
    /// Deliveries of a page before it is dead-lettered.
    pub max_deliver: i64,
    /// First retry delay after a transient failure, in milliseconds (doubles each time).
    pub retry_delay_ms: u64,
    /// Seconds to wait for JetStream to acknowledge a publish.
    pub publish_timeout_secs: u64,
    /// Address of the HTTP server for `/healthz`, `/readyz` and `/metrics`
    /// (`host:port`); empty turns it off.
    pub http_listen: String,
    /// Request/reply subject of the micro service's parse endpoint; empty
    /// turns the micro service off.
    pub parse_subject: String,
    /// Log format: `human` or `json`.
    pub log_format: LogFormat,
    /// Log filter (`info`, `newsdesk=debug` …).
    pub log_level: String,
    /// Home region for pages that name none (6-digit code).
    pub home_region: Option<RegionCode>,
    /// Gazetteer TSV replacing the embedded one.
    pub gazetteer_path: Option<PathBuf>,
    /// Topic taxonomy replacing the embedded one.
    pub topics_path: Option<PathBuf>,
    /// Stop words replacing the embedded list.
    pub stopwords_path: Option<PathBuf>,
    /// jieba user dictionary replacing the embedded one.
    pub userdict_path: Option<PathBuf>,
    /// Short place names that are ordinary words, replacing the embedded list.
    pub place_stopwords_path: Option<PathBuf>,
    /// Paper → home region table, replacing the embedded one.
    pub papers_path: Option<PathBuf>,
    /// Former division names → current codes, replacing the embedded table.
    pub former_names_path: Option<PathBuf>,
    /// The splitter's line-role model, replacing the embedded one.
    pub line_model_path: Option<PathBuf>,
    /// The splitter's layout cue words, replacing the embedded ones.
    pub layout_cues_path: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            nats_url: "nats://127.0.0.1:4222".into(),
            nats_token: None,
            nats_token_file: None,
            nats_user: None,
            nats_password: None,
            nats_password_file: None,
            nats_nkey: None,
            nats_nkey_file: None,
            nats_creds: None,
            nats_tls_ca: None,
            nats_tls_cert: None,
            nats_tls_key: None,
            nats_tls_required: false,
            subject_prefix: "news".into(),
            pages_stream: "NEWS_PAGES".into(),
            articles_stream: "NEWS_ARTICLES".into(),
            dead_stream: "NEWS_DEAD".into(),
            audit_stream: "NEWS_AUDIT".into(),
            stream_replicas: 1,
            durable: "newsdesk".into(),
            adapt_to_config: false,
            region_subjects: true,
            max_page_bytes: 1 << 20,
            max_line_chars: 20_000,
            max_articles: 500,
            concurrency: 32,
            cpu_workers: 0,
            max_ack_pending: 64,
            ack_wait_secs: 30,
            max_deliver: 5,
            retry_delay_ms: 1000,
            publish_timeout_secs: 10,
            http_listen: "0.0.0.0:8080".into(),
            parse_subject: "newsdesk.parse".into(),
            log_format: LogFormat::Human,
            log_level: "info".into(),
            home_region: None,
            gazetteer_path: None,
            topics_path: None,
            stopwords_path: None,
            userdict_path: None,
            place_stopwords_path: None,
            papers_path: None,
            former_names_path: None,
            line_model_path: None,
            layout_cues_path: None,
        }
    }
}

/// Why the settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value has the wrong type or an unknown key was given.
    #[error("invalid configuration: {0}")]
    Invalid(String),
    /// A value is of the right type but not allowed.
    #[error("invalid configuration: {key}: {reason}")]
    Value {
        /// The key.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A named file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl Settings {
    /// Loads settings from the process: the config file (`file`, else
    /// `config/newsdesk.toml` if present), `NATS_URL` and `NEWSDESK_*`.
    ///
    /// # Errors
    /// [`SettingsError`] naming the key that is wrong.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        let file_text = match file {
            Some(p) => Some(
                std::fs::read_to_string(p).map_err(|source| SettingsError::Read { path: p.to_path_buf(), source })?,
            ),
            None => std::fs::read_to_string(DEFAULT_CONFIG_FILE).ok(),
        };
        Settings::from_sources(file_text.as_deref(), std::env::vars())
    }

    /// Builds settings from a config file's text and environment pairs, so
    /// tests never touch the process environment.
    ///
    /// # Errors
    /// [`SettingsError`] naming the key that is wrong.
    pub fn from_sources(
        file: Option<&str>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(text) = file {
            fig = fig.merge(Toml::string(text));
        }
        let env: Vec<(String, String)> = env.into_iter().collect();
        if let Some((_, url)) = env.iter().find(|(k, _)| k == "NATS_URL") {
            fig = fig.merge(("nats_url", url.clone()));
        }
        for (k, v) in &env {
            let Some(key) = k.strip_prefix(ENV_PREFIX) else { continue };
            if key == "CONFIG" {
                continue;
            }
            let key = key.to_ascii_lowercase();
            // Every variable is text: `NEWSDESK_HOME_REGION=140800` and a
            // password of digits stay text; numbers and booleans are read
            // from the text where the setting wants one (lossy extraction).
            fig = fig.merge((key, figment::value::Value::from(v.clone())));
        }
        let settings: Settings = fig.extract_lossy().map_err(|e| SettingsError::Invalid(e.to_string()))?;
        settings.validated()
    }

    fn validated(mut self) -> Result<Settings, SettingsError> {
        let bad = |key, reason: &str| Err(SettingsError::Value { key, reason: reason.to_string() });
        if Subject::join(&self.subject_prefix, &[]).is_err() {
            return bad("subject_prefix", "use dot-separated tokens of ASCII letters, digits, '-' and '_'");
        }
        for (key, name) in [
            ("pages_stream", &self.pages_stream),
            ("articles_stream", &self.articles_stream),
            ("dead_stream", &self.dead_stream),
            ("audit_stream", &self.audit_stream),
            ("durable", &self.durable),
        ] {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return bad(key, "use ASCII letters, digits, '-' and '_'");
            }
        }
        if !valid_log_filter(&self.log_level) {
            return bad(
                "log_level",
                "use a level (error, warn, info, debug, trace, off) or target=level pairs separated by commas",
            );
        }
        if self.concurrency == 0 || self.concurrency > 1024 {
            return bad("concurrency", "must be between 1 and 1024");
        }
        if self.cpu_workers > 1024 {
            return bad("cpu_workers", "must be between 0 (one per core) and 1024");
        }
        if self.max_page_bytes < 64 {
            return bad("max_page_bytes", "must be at least 64");
        }
        if self.max_line_chars == 0 || self.max_articles == 0 {
            return bad("max_line_chars", "max_line_chars and max_articles must be positive");
        }
        if self.max_ack_pending < 1 {
            return bad("max_ack_pending", "must be at least 1");
        }
        if self.max_deliver < 1 {
            return bad("max_deliver", "must be at least 1");
        }
        if self.ack_wait_secs == 0 || self.publish_timeout_secs == 0 {
            return bad("ack_wait_secs", "ack_wait_secs and publish_timeout_secs must be positive");
        }
        if self.nats_url.trim().is_empty() {
            return bad("nats_url", "must not be empty");
        }
        if self.nats_tls_cert.is_some() != self.nats_tls_key.is_some() {
            return bad("nats_tls_cert", "nats_tls_cert and nats_tls_key go together");
        }
        for (file, secret) in [
            (&self.nats_password_file, &mut self.nats_password),
            (&self.nats_token_file, &mut self.nats_token),
            (&self.nats_nkey_file, &mut self.nats_nkey),
        ] {
            if let Some(path) = file {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| SettingsError::Read { path: path.clone(), source })?;
                *secret = Some(Secret::new(text.trim_end_matches(['\n', '\r'])));
            }
        }
        if !(1..=5).contains(&self.stream_replicas) {
            return bad("stream_replicas", "must be between 1 and 5");
        }
        if !self.http_listen.is_empty() && self.http_listen.parse::<std::net::SocketAddr>().is_err() {
            return bad("http_listen", "use host:port with an IP address, e.g. 0.0.0.0:8080, or empty to turn it off");
        }
        if !self.parse_subject.is_empty() && Subject::join(&self.parse_subject, &[]).is_err() {
            return bad("parse_subject", "use dot-separated tokens of ASCII letters, digits, '-' and '_'");
        }
        if self.nats_password.is_some() && self.nats_user.is_none() {
            return bad("nats_user", "a password needs a user");
        }
        Ok(self)
    }

    /// The effective settings as TOML, secrets redacted; unset keys are
    /// listed as comments so every key and its variable name can be seen.
    pub fn to_redacted_toml(&self) -> String {
        let value = serde_json::to_value(self).expect("settings serialise");
        let mut out = String::new();
        for (key, v) in value.as_object().into_iter().flatten() {
            let env = format!("{ENV_PREFIX}{}", key.to_ascii_uppercase());
            match v {
                serde_json::Value::Null => out.push_str(&format!("# {key} = (not set)  [{env}]\n")),
                serde_json::Value::String(s) => out.push_str(&format!("{key} = {}  # {env}\n", toml_string(s))),
                other => out.push_str(&format!("{key} = {other}  # {env}\n")),
            }
        }
        out
    }

    /// Pages split and tagged at once: `cpu_workers`, or the number of cores.
    pub fn cpu_workers(&self) -> usize {
        match self.cpu_workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    /// The core's limits.
    pub fn limits(&self) -> crate::core::Limits {
        crate::core::Limits { max_line_chars: self.max_line_chars, max_articles: self.max_articles }
    }

    /// Which copies of each article go out.
    pub fn routes(&self) -> crate::core::route::Routes {
        crate::core::route::Routes { regions: self.region_subjects }
    }

    /// Ack wait as a duration.
    pub fn ack_wait(&self) -> Duration {
        Duration::from_secs(self.ack_wait_secs)
    }

    /// Publish timeout as a duration.
    pub fn publish_timeout(&self) -> Duration {
        Duration::from_secs(self.publish_timeout_secs)
    }

    /// The environment that puts a `newsdesk serve` child on these settings'
    /// server, subjects, streams, durable and endpoints.
    pub fn service_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("NEWSDESK_NATS_URL", self.nats_url.clone()),
            ("NEWSDESK_SUBJECT_PREFIX", self.subject_prefix.clone()),
            ("NEWSDESK_PAGES_STREAM", self.pages_stream.clone()),
            ("NEWSDESK_ARTICLES_STREAM", self.articles_stream.clone()),
            ("NEWSDESK_DEAD_STREAM", self.dead_stream.clone()),
            ("NEWSDESK_AUDIT_STREAM", self.audit_stream.clone()),
            ("NEWSDESK_DURABLE", self.durable.clone()),
            ("NEWSDESK_HTTP_LISTEN", self.http_listen.clone()),
            ("NEWSDESK_PARSE_SUBJECT", self.parse_subject.clone()),
        ]
    }

    /// Subject filter of the pages stream: `<prefix>.pages.>`.
    pub fn pages_subjects(&self) -> String {
        format!("{}.pages.>", self.subject_prefix)
    }

    /// Subject filter of the articles stream: `<prefix>.articles.>`.
    pub fn articles_subjects(&self) -> String {
        format!("{}.articles.>", self.subject_prefix)
    }

    /// The dead-letter subject: `<prefix>.dead.pages`.
    pub fn dead_subject(&self) -> String {
        format!("{}.dead.pages", self.subject_prefix)
    }

    /// Subject filter of the dead-letter stream: `<prefix>.dead.>`.
    pub fn dead_subjects(&self) -> String {
        format!("{}.dead.>", self.subject_prefix)
    }

    /// Subject filter of the audit stream: `<prefix>.audit.>`.
    pub fn audit_subjects(&self) -> String {
        format!("{}.audit.>", self.subject_prefix)
    }

    /// The default page subject for publishing: `<prefix>.pages.<token>`.
    pub fn page_subject(&self, token: &str) -> String {
        format!("{}.pages.{token}", self.subject_prefix)
    }

    /// Reads the tagging data: the configured files, else the embedded defaults.
    ///
    /// # Errors
    /// [`SettingsError::Read`] when a configured file cannot be read.
    pub fn tag_data(&self) -> Result<OwnedTagData, SettingsError> {
        use crate::core::tag as t;
        let read = |p: &Option<PathBuf>, default: &str| match p {
            Some(path) => {
                std::fs::read_to_string(path).map_err(|source| SettingsError::Read { path: path.clone(), source })
            }
            None => Ok(default.to_string()),
        };
        Ok(OwnedTagData {
            gazetteer: read(&self.gazetteer_path, t::DEFAULT_GAZETTEER)?,
            topics: read(&self.topics_path, t::DEFAULT_TOPICS)?,
            stopwords: read(&self.stopwords_path, t::DEFAULT_STOPWORDS)?,
            userdict: read(&self.userdict_path, t::DEFAULT_USERDICT)?,
            place_stopwords: read(&self.place_stopwords_path, t::DEFAULT_PLACE_STOPWORDS)?,
            papers: read(&self.papers_path, t::DEFAULT_PAPERS)?,
            former_names: read(&self.former_names_path, t::DEFAULT_FORMER_NAMES)?,
            line_model: read(&self.line_model_path, crate::core::split::model::DEFAULT_LINE_MODEL)?,
            layout_cues: read(&self.layout_cues_path, crate::core::split::cues::DEFAULT_LAYOUT_CUES)?,
        })
    }
}

/// Whether a log filter is levels and `target=level` pairs: a bare word that
/// is no level (`loud`) would be taken as a target and silence everything.
fn valid_log_filter(filter: &str) -> bool {
    !filter.trim().is_empty()
        && filter.split(',').all(|part| {
            let level =
                part.rsplit_once('=').map_or(part, |(target, level)| if target.trim().is_empty() { "" } else { level });
            let level = level.trim();
            !level.is_empty() && level.parse::<tracing_subscriber::filter::LevelFilter>().is_ok()
        })
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Tagging data read from files (see [`Settings::tag_data`]).
#[derive(Debug, Clone)]
pub struct OwnedTagData {
    /// Gazetteer TSV.
    pub gazetteer: String,
    /// Topic taxonomy TOML.
    pub topics: String,
    /// Keyword stop words.
    pub stopwords: String,
    /// jieba user dictionary.
    pub userdict: String,
    /// Short place names that are ordinary words.
    pub place_stopwords: String,
    /// Paper → home region table.
    pub papers: String,
    /// Former division names.
    pub former_names: String,
    /// The splitter's line-role model.
    pub line_model: String,
    /// The splitter's layout cue words.
    pub layout_cues: String,
}

impl OwnedTagData {
    /// Borrowed view for [`crate::core::tag::Tagger::new`].
    pub fn as_data(&self) -> crate::core::tag::TagData<'_> {
        crate::core::tag::TagData {
            gazetteer: &self.gazetteer,
            topics: &self.topics,
            stopwords: &self.stopwords,
            userdict: &self.userdict,
            place_stopwords: &self.place_stopwords,
            papers: &self.papers,
            former_names: &self.former_names,
            line_model: &self.line_model,
            layout_cues: &self.layout_cues,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_then_file_then_env() {
        let s = Settings::from_sources(None, env(&[])).unwrap();
        assert_eq!(s.nats_url, "nats://127.0.0.1:4222");
        let s = Settings::from_sources(
            Some("concurrency = 2\nsubject_prefix = \"x.y\""),
            env(&[("NEWSDESK_CONCURRENCY", "7")]),
        )
        .unwrap();
        assert_eq!((s.concurrency, s.subject_prefix.as_str()), (7, "x.y"));
    }

    #[test]
    fn variables_that_look_like_numbers_stay_text_where_text_is_wanted() {
        let s = Settings::from_sources(
            None,
            env(&[
                ("NEWSDESK_HOME_REGION", "140800"),
                ("NEWSDESK_NATS_USER", "1001"),
                ("NEWSDESK_NATS_PASSWORD", "123456"),
                ("NEWSDESK_DURABLE", "2024"),
                ("NEWSDESK_CONCURRENCY", "8"),
                ("NEWSDESK_REGION_SUBJECTS", "true"),
            ]),
        )
        .unwrap();
        assert_eq!(s.home_region.unwrap().as_str(), "140800");
        assert_eq!(s.nats_password.unwrap().expose(), "123456");
        assert_eq!(s.nats_user.as_deref(), Some("1001"));
        let t = Settings::from_sources(None, env(&[("NEWSDESK_NATS_TOKEN", "98765")])).unwrap();
        assert_eq!(t.nats_token.unwrap().expose(), "98765");
        assert_eq!(s.durable, "2024");
        assert_eq!(s.concurrency, 8, "a number where a number is wanted");
        assert!(s.region_subjects);
    }

    #[test]
    fn a_log_level_that_is_no_level_fails_at_start() {
        for ok in ["info", "WARN", "newsdesk=debug,async_nats=warn", "off"] {
            assert!(Settings::from_sources(None, env(&[("NEWSDESK_LOG_LEVEL", ok)])).is_ok(), "{ok}");
        }
        for bad in ["loud", "", "newsdesk=loud", "=debug", "info,"] {
            let e = Settings::from_sources(None, env(&[("NEWSDESK_LOG_LEVEL", bad)])).unwrap_err().to_string();
            assert!(e.contains("log_level"), "{bad}: {e}");
        }
    }

    #[test]
    fn nats_url_falls_back_to_the_conventional_variable() {
        let s = Settings::from_sources(None, env(&[("NATS_URL", "nats://a:1")])).unwrap();
        assert_eq!(s.nats_url, "nats://a:1");
        let s = Settings::from_sources(None, env(&[("NATS_URL", "nats://a:1"), ("NEWSDESK_NATS_URL", "nats://b:2")]))
            .unwrap();
        assert_eq!(s.nats_url, "nats://b:2");
    }

    #[test]
    fn invalid_values_name_their_key() {
        let e = Settings::from_sources(None, env(&[("NEWSDESK_CONCURRENCY", "many")])).unwrap_err().to_string();
        assert!(e.contains("concurrency"), "{e}");
        let e = Settings::from_sources(Some("subject_prefix = \"a b\""), env(&[])).unwrap_err().to_string();
        assert!(e.contains("subject_prefix"), "{e}");
        let e = Settings::from_sources(None, env(&[("NEWSDESK_HOME_REGION", "14")])).unwrap_err().to_string();
        assert!(e.contains("home_region"), "{e}");
        let e = Settings::from_sources(Some("no_such_key = 1"), env(&[])).unwrap_err().to_string();
        assert!(e.contains("no_such_key"), "{e}");
    }

    #[test]
    fn secrets_are_redacted_and_can_come_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let pw = dir.path().join("pw");
        std::fs::write(&pw, "hunter2\n").unwrap();
        let s = Settings::from_sources(
            None,
            env(&[
                ("NEWSDESK_NATS_USER", "u"),
                ("NEWSDESK_NATS_PASSWORD_FILE", pw.to_str().unwrap()),
                ("NEWSDESK_NATS_TOKEN", "tok-123"),
            ]),
        )
        .unwrap();
        assert_eq!(s.nats_password.as_ref().unwrap().expose(), "hunter2");
        let nkey = dir.path().join("seed");
        std::fs::write(&nkey, "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4\n").unwrap();
        let from_files = Settings::from_sources(
            None,
            env(&[
                ("NEWSDESK_NATS_TOKEN_FILE", pw.to_str().unwrap()),
                ("NEWSDESK_NATS_NKEY_FILE", nkey.to_str().unwrap()),
            ]),
        )
        .unwrap();
        assert_eq!(from_files.nats_token.as_ref().unwrap().expose(), "hunter2");
        assert!(from_files.nats_nkey.as_ref().unwrap().expose().ends_with("CNHTC4"));
        let shown = s.to_redacted_toml();
        assert!(!shown.contains("hunter2") && !shown.contains("tok-123"), "{shown}");
        assert!(format!("{s:?}").contains("[redacted]"));
    }

    #[test]
    fn the_example_file_names_every_key_and_sets_the_defaults() {
        let text = include_str!("../config/newsdesk.example.toml");
        let s = Settings::from_sources(Some(text), Vec::new()).unwrap();
        assert_eq!(s, Settings::default());
        let value = serde_json::to_value(Settings::default()).unwrap();
        for key in value.as_object().unwrap().keys() {
            let named = text.lines().any(|l| l.trim_start_matches(['#', ' ']).starts_with(&format!("{key} =")));
            assert!(named, "config/newsdesk.example.toml does not mention {key}");
        }
    }
}
