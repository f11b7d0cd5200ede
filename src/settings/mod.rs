//! Settings: typed sections (NATS connection, streams and subjects, limits,
//! delivery, service, tagging data), layered from built-in defaults, an
//! optional TOML file (`config/newsdesk.toml` or `--config`), `NATS_URL`,
//! then `NEWSDESK_*` environment variables (`NEWSDESK_MAX_PAGE_BYTES` sets
//! `[limits] max_page_bytes`; [`keys::KEYS`] lists them all). Validated
//! once; an invalid value fails at start with a message naming the key,
//! where the value came from and what was expected, never a secret; a
//! `NEWSDESK_*` variable that is no setting is a warning.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::Serialized;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use crate::core::subject::{RegionCode, Subject};

pub mod keys;
pub mod names;

use keys::{KEYS, Key, SECTIONS, by_env, by_flat, by_path, plain_expected, similar_env};
pub use names::{ConsumerName, ListenAddr, StreamName, SubjectPrefix};

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

/// Every setting of newsdesk, in sections. In the TOML file a key is
/// `[section] name` (or the flat key at the top: `nats_url`); its
/// environment variable is in [`keys::KEYS`] (`NEWSDESK_NATS_URL`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The NATS connection.
    pub nats: NatsSettings,
    /// Streams, subjects and the consumer.
    pub streams: StreamSettings,
    /// What a page may be.
    pub limits: LimitSettings,
    /// Concurrency, acknowledgement and retries.
    pub delivery: DeliverySettings,
    /// The process: HTTP, micro service, logs, home region.
    pub service: ServiceSettings,
    /// Tagging and splitting data files replacing the embedded ones.
    pub tagging: TaggingSettings,
}

/// `[nats]`: where the server is and how to authenticate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatsSettings {
    /// Server URL(s), comma-separated for a cluster.
    pub url: String,
    /// Token authentication.
    pub token: Option<Secret>,
    /// File holding the token (for compose secrets).
    pub token_file: Option<PathBuf>,
    /// User for user/password authentication.
    pub user: Option<String>,
    /// Password for user/password authentication.
    pub password: Option<Secret>,
    /// File holding the password (for compose secrets).
    pub password_file: Option<PathBuf>,
    /// NKey seed authentication.
    pub nkey: Option<Secret>,
    /// File holding the NKey seed (for compose secrets).
    pub nkey_file: Option<PathBuf>,
    /// Credentials file (JWT + seed).
    pub creds: Option<PathBuf>,
    /// CA certificate to trust for TLS.
    pub tls_ca: Option<PathBuf>,
    /// Client certificate for TLS.
    pub tls_cert: Option<PathBuf>,
    /// Client key for TLS.
    pub tls_key: Option<PathBuf>,
    /// Require TLS.
    pub tls_required: bool,
}

impl Default for NatsSettings {
    fn default() -> Self {
        NatsSettings {
            url: "nats://127.0.0.1:4222".into(),
            token: None,
            token_file: None,
            user: None,
            password: None,
            password_file: None,
            nkey: None,
            nkey_file: None,
            creds: None,
            tls_ca: None,
            tls_cert: None,
            tls_key: None,
            tls_required: false,
        }
    }
}

/// `[streams]`: subjects, streams and the durable consumer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSettings {
    /// First subject token(s) of every subject (`news`).
    pub subject_prefix: SubjectPrefix,
    /// Stream holding page dumps.
    pub pages: StreamName,
    /// Stream holding articles.
    pub articles: StreamName,
    /// Stream holding dead letters.
    pub dead: StreamName,
    /// Stream holding the page records (where each line of a page went).
    pub audit: StreamName,
    /// Replicas of each stream (1, or 3 on a three-node cluster).
    pub replicas: usize,
    /// Durable consumer name on the pages stream.
    pub durable: ConsumerName,
    /// When an existing stream or consumer differs from this configuration:
    /// update it (true) or refuse to start (false).
    pub adapt_to_config: bool,
    /// Also publish each article on `<prefix>.articles.region.<province>.<city>.<county>`.
    pub region_subjects: bool,
}

impl Default for StreamSettings {
    fn default() -> Self {
        let name = |s: &str| StreamName::parse(s).expect("the default stream names are valid");
        StreamSettings {
            subject_prefix: SubjectPrefix::parse("news").expect("the default prefix is valid"),
            pages: name("NEWS_PAGES"),
            articles: name("NEWS_ARTICLES"),
            dead: name("NEWS_DEAD"),
            audit: name("NEWS_AUDIT"),
            replicas: 1,
            durable: ConsumerName::parse("newsdesk").expect("the default durable is valid"),
            adapt_to_config: false,
            region_subjects: true,
        }
    }
}

/// `[limits]`: what a page may be before it is dead-lettered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Largest page payload accepted, in bytes.
    pub max_page_bytes: usize,
    /// Longest line accepted, in characters.
    pub max_line_chars: usize,
    /// Most articles accepted on one page.
    pub max_articles: usize,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings { max_page_bytes: 1 << 20, max_line_chars: 20_000, max_articles: 500 }
    }
}

/// `[delivery]`: pages in flight, acknowledgement and retries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySettings {
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
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            concurrency: 32,
            cpu_workers: 0,
            max_ack_pending: 64,
            ack_wait_secs: 30,
            max_deliver: 5,
            retry_delay_ms: 1000,
            publish_timeout_secs: 10,
        }
    }
}

/// `[service]`: the process's endpoints, logs and home region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    /// Address of the HTTP server for `/healthz`, `/readyz` and `/metrics`
    /// (`host:port`); empty turns it off.
    pub http_listen: ListenAddr,
    /// Request/reply subject of the micro service's parse endpoint; empty
    /// turns the micro service off.
    pub parse_subject: String,
    /// Log format: `human` or `json`.
    pub log_format: LogFormat,
    /// Log filter (`info`, `newsdesk=debug` …).
    pub log_level: String,
    /// Home region for pages that name none (6-digit code).
    pub home_region: Option<RegionCode>,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            http_listen: ListenAddr::parse("0.0.0.0:8080").expect("the default address is valid"),
            parse_subject: "newsdesk.parse".into(),
            log_format: LogFormat::Human,
            log_level: "info".into(),
            home_region: None,
        }
    }
}

/// `[tagging]`: data files replacing the embedded ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TaggingSettings {
    /// Gazetteer TSV.
    pub gazetteer_path: Option<PathBuf>,
    /// Topic taxonomy.
    pub topics_path: Option<PathBuf>,
    /// Keyword stop words.
    pub stopwords_path: Option<PathBuf>,
    /// jieba user dictionary.
    pub userdict_path: Option<PathBuf>,
    /// Short place names that are ordinary words.
    pub place_stopwords_path: Option<PathBuf>,
    /// Paper → home region table.
    pub papers_path: Option<PathBuf>,
    /// Former division names → current codes.
    pub former_names_path: Option<PathBuf>,
    /// The splitter's line-role model.
    pub line_model_path: Option<PathBuf>,
    /// The splitter's layout cue words.
    pub layout_cues_path: Option<PathBuf>,
}

/// Why the settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The config file is not TOML, or names a key newsdesk does not have.
    #[error("invalid configuration file {path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// What is wrong, without the file's text (it may hold a secret).
        reason: String,
    },
    /// A value is of the wrong kind or not allowed.
    #[error("invalid configuration: {key} (from {from}): {reason}")]
    Value {
        /// `section.name`.
        key: String,
        /// Where the value came from: a variable, the file, or the default.
        from: String,
        /// What is wrong and what was expected, in plain words.
        reason: String,
    },
    /// A named file cannot be read.
    #[error("cannot read {path} ({key}): {error}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The setting that names it.
        key: String,
        /// Why.
        error: std::io::Error,
    },
}

/// Settings as loaded, with what the operator should hear about once logs
/// are set up: variables that look like settings but are none.
#[derive(Debug)]
pub struct Loaded {
    /// The settings.
    pub settings: Settings,
    /// One line per ignored `NEWSDESK_*` variable.
    pub warnings: Vec<String>,
}

/// Where each key's value came from, for error messages.
#[derive(Debug, Default)]
struct Sources {
    /// `section.name` → the variable or file that set it.
    from: HashMap<String, String>,
    /// `section.name` → the text given (left out for secrets).
    given: HashMap<String, String>,
}

impl Sources {
    fn source(&self, path: &str) -> String {
        self.from.get(path).cloned().unwrap_or_else(|| "the default".into())
    }
}

impl Settings {
    /// Loads settings from the process: the config file (`file`, else
    /// `config/newsdesk.toml` if present), `NATS_URL` and `NEWSDESK_*`.
    ///
    /// # Errors
    /// [`SettingsError`] naming the key, where its value came from and what was expected.
    pub fn load(file: Option<&Path>) -> Result<Loaded, SettingsError> {
        let (path, text) = match file {
            Some(p) => (
                p.display().to_string(),
                Some(std::fs::read_to_string(p).map_err(|error| SettingsError::Read {
                    path: p.to_path_buf(),
                    key: "--config / NEWSDESK_CONFIG".into(),
                    error,
                })?),
            ),
            None => (DEFAULT_CONFIG_FILE.to_string(), std::fs::read_to_string(DEFAULT_CONFIG_FILE).ok()),
        };
        Settings::build(text.as_deref().map(|t| (t, path.as_str())), std::env::vars())
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
        Ok(Settings::build(file.map(|t| (t, "the config file")), env)?.settings)
    }

    /// Builds settings from an optional `(text, path)` file and environment pairs.
    ///
    /// # Errors
    /// [`SettingsError`] naming the key, the source and what was expected.
    pub fn build(
        file: Option<(&str, &str)>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Loaded, SettingsError> {
        let mut sources = Sources::default();
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some((text, path)) = file {
            let table = file_table(text, path)?;
            for (section, keys) in &table {
                for (name, value) in keys.as_table().into_iter().flatten() {
                    let p = format!("{section}.{name}");
                    sources.from.insert(p.clone(), path.to_string());
                    if by_path(section, name).is_some_and(|k| !k.secret) {
                        sources.given.insert(p, value.to_string());
                    }
                }
            }
            fig = fig.merge(Serialized::defaults(table));
        }
        let env: Vec<(String, String)> = env.into_iter().collect();
        let mut warnings = Vec::new();
        let mut set = |key: &Key, var: &str, value: &str, fig: Figment| {
            sources.from.insert(key.path(), format!("environment variable {var}"));
            if !key.secret {
                sources.given.insert(key.path(), format!("{value:?}"));
            }
            // Every variable is text: `NEWSDESK_HOME_REGION=140800` and a
            // password of digits stay text; numbers and booleans are read
            // from the text where the setting wants one (lossy extraction).
            fig.merge(Serialized::default(&key.path(), figment::value::Value::from(value.to_string())))
        };
        if let Some((_, url)) = env.iter().find(|(k, _)| k == "NATS_URL") {
            fig = set(by_path("nats", "url").expect("nats.url is a key"), "NATS_URL", url, fig);
        }
        for (var, value) in &env {
            if !var.starts_with(ENV_PREFIX) || IGNORED_VARIABLES.contains(&var.as_str()) {
                continue;
            }
            match by_env(var) {
                Some(key) => fig = set(key, var, value, fig),
                None => warnings.push(unknown_variable(var)),
            }
        }
        let settings: Settings = fig.extract_lossy().map_err(|e| value_error(&e, &sources))?;
        let settings = settings.validated(&sources)?;
        Ok(Loaded { settings, warnings })
    }

    fn validated(mut self, sources: &Sources) -> Result<Settings, SettingsError> {
        let bad = |path: &str, reason: &str| {
            Err(SettingsError::Value { key: path.to_string(), from: sources.source(path), reason: reason.to_string() })
        };
        if !valid_log_filter(&self.service.log_level) {
            return bad(
                "service.log_level",
                "use a level (error, warn, info, debug, trace, off) or target=level pairs separated by commas",
            );
        }
        let d = &self.delivery;
        if d.concurrency == 0 || d.concurrency > 1024 {
            return bad("delivery.concurrency", "must be between 1 and 1024");
        }
        if d.cpu_workers > 1024 {
            return bad("delivery.cpu_workers", "must be between 0 (one per core) and 1024");
        }
        if d.max_ack_pending < 1 {
            return bad("delivery.max_ack_pending", "must be at least 1");
        }
        if d.max_deliver < 1 {
            return bad("delivery.max_deliver", "must be at least 1");
        }
        if d.ack_wait_secs == 0 {
            return bad("delivery.ack_wait_secs", "must be at least 1");
        }
        if d.publish_timeout_secs == 0 {
            return bad("delivery.publish_timeout_secs", "must be at least 1");
        }
        let l = &self.limits;
        if l.max_page_bytes < 64 {
            return bad("limits.max_page_bytes", "must be at least 64");
        }
        if l.max_line_chars == 0 {
            return bad("limits.max_line_chars", "must be at least 1");
        }
        if l.max_articles == 0 {
            return bad("limits.max_articles", "must be at least 1");
        }
        if !(1..=5).contains(&self.streams.replicas) {
            return bad("streams.replicas", "must be between 1 and 5");
        }
        let n = &self.nats;
        if n.url.trim().is_empty() {
            return bad("nats.url", "must not be empty");
        }
        if n.tls_cert.is_some() != n.tls_key.is_some() {
            return bad("nats.tls_cert", "nats.tls_cert and nats.tls_key go together");
        }
        if !self.service.parse_subject.is_empty() && Subject::join(&self.service.parse_subject, &[]).is_err() {
            return bad("service.parse_subject", "use dot-separated tokens of ASCII letters, digits, '-' and '_'");
        }
        for (key, file, secret) in [
            ("nats.password_file", &self.nats.password_file, &mut self.nats.password),
            ("nats.token_file", &self.nats.token_file, &mut self.nats.token),
            ("nats.nkey_file", &self.nats.nkey_file, &mut self.nats.nkey),
        ] {
            if let Some(path) = file {
                let text = std::fs::read_to_string(path).map_err(|error| SettingsError::Read {
                    path: path.clone(),
                    key: key.to_string(),
                    error,
                })?;
                *secret = Some(Secret::new(text.trim_end_matches(['\n', '\r'])));
            }
        }
        if self.nats.password.is_some() && self.nats.user.is_none() {
            let key = if self.nats.password_file.is_some() { "nats.password_file" } else { "nats.password" };
            return bad(key, "a password needs a user: set nats.user (NEWSDESK_NATS_USER)");
        }
        Ok(self)
    }

    /// The effective settings as TOML sections, secrets redacted; unset keys
    /// are listed as comments, so every key and its variable can be seen.
    pub fn to_redacted_toml(&self) -> String {
        let value = serde_json::to_value(self).expect("settings serialise");
        let mut out = String::new();
        for section in SECTIONS {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("[{section}]\n"));
            for key in KEYS.iter().filter(|k| k.section == *section) {
                let (name, env) = (key.name, key.env);
                match &value[section][name] {
                    serde_json::Value::Null => out.push_str(&format!("# {name} = (not set)  [{env}]\n")),
                    serde_json::Value::String(s) => out.push_str(&format!("{name} = {}  # {env}\n", toml_string(s))),
                    other => out.push_str(&format!("{name} = {other}  # {env}\n")),
                }
            }
        }
        out
    }

    /// Pages split and tagged at once: `cpu_workers`, or the number of cores.
    pub fn cpu_workers(&self) -> usize {
        match self.delivery.cpu_workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    /// The core's limits.
    pub fn limits(&self) -> crate::core::Limits {
        crate::core::Limits { max_line_chars: self.limits.max_line_chars, max_articles: self.limits.max_articles }
    }

    /// Which copies of each article go out.
    pub fn routes(&self) -> crate::core::route::Routes {
        crate::core::route::Routes { regions: self.streams.region_subjects }
    }

    /// Ack wait as a duration.
    pub fn ack_wait(&self) -> Duration {
        Duration::from_secs(self.delivery.ack_wait_secs)
    }

    /// Publish timeout as a duration.
    pub fn publish_timeout(&self) -> Duration {
        Duration::from_secs(self.delivery.publish_timeout_secs)
    }

    /// The environment that puts a `newsdesk serve` child on these settings'
    /// server, subjects, streams, durable and endpoints.
    pub fn service_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("NEWSDESK_NATS_URL", self.nats.url.clone()),
            ("NEWSDESK_SUBJECT_PREFIX", self.streams.subject_prefix.to_string()),
            ("NEWSDESK_PAGES_STREAM", self.streams.pages.to_string()),
            ("NEWSDESK_ARTICLES_STREAM", self.streams.articles.to_string()),
            ("NEWSDESK_DEAD_STREAM", self.streams.dead.to_string()),
            ("NEWSDESK_AUDIT_STREAM", self.streams.audit.to_string()),
            ("NEWSDESK_DURABLE", self.streams.durable.to_string()),
            ("NEWSDESK_HTTP_LISTEN", self.service.http_listen.to_string()),
            ("NEWSDESK_PARSE_SUBJECT", self.service.parse_subject.clone()),
        ]
    }

    /// Subject filter of the pages stream: `<prefix>.pages.>`.
    pub fn pages_subjects(&self) -> String {
        format!("{}.pages.>", self.streams.subject_prefix)
    }

    /// Subject filter of the articles stream: `<prefix>.articles.>`.
    pub fn articles_subjects(&self) -> String {
        format!("{}.articles.>", self.streams.subject_prefix)
    }

    /// The dead-letter subject: `<prefix>.dead.pages`.
    pub fn dead_subject(&self) -> String {
        format!("{}.dead.pages", self.streams.subject_prefix)
    }

    /// Subject filter of the dead-letter stream: `<prefix>.dead.>`.
    pub fn dead_subjects(&self) -> String {
        format!("{}.dead.>", self.streams.subject_prefix)
    }

    /// Subject filter of the audit stream: `<prefix>.audit.>`.
    pub fn audit_subjects(&self) -> String {
        format!("{}.audit.>", self.streams.subject_prefix)
    }

    /// The default page subject for publishing: `<prefix>.pages.<token>`.
    pub fn page_subject(&self, token: &str) -> String {
        format!("{}.pages.{token}", self.streams.subject_prefix)
    }

    /// Reads the tagging data: the configured files, else the embedded defaults.
    ///
    /// # Errors
    /// [`SettingsError::Read`] when a configured file cannot be read.
    pub fn tag_data(&self) -> Result<OwnedTagData, SettingsError> {
        use crate::core::tag;
        let t = &self.tagging;
        let read = |p: &Option<PathBuf>, key: &str, default: &str| match p {
            Some(path) => std::fs::read_to_string(path).map_err(|error| SettingsError::Read {
                path: path.clone(),
                key: format!("tagging.{key}"),
                error,
            }),
            None => Ok(default.to_string()),
        };
        use crate::core::split::{cues, model};
        Ok(OwnedTagData {
            gazetteer: read(&t.gazetteer_path, "gazetteer_path", tag::DEFAULT_GAZETTEER)?,
            topics: read(&t.topics_path, "topics_path", tag::DEFAULT_TOPICS)?,
            stopwords: read(&t.stopwords_path, "stopwords_path", tag::DEFAULT_STOPWORDS)?,
            userdict: read(&t.userdict_path, "userdict_path", tag::DEFAULT_USERDICT)?,
            place_stopwords: read(&t.place_stopwords_path, "place_stopwords_path", tag::DEFAULT_PLACE_STOPWORDS)?,
            papers: read(&t.papers_path, "papers_path", tag::DEFAULT_PAPERS)?,
            former_names: read(&t.former_names_path, "former_names_path", tag::DEFAULT_FORMER_NAMES)?,
            line_model: read(&t.line_model_path, "line_model_path", model::DEFAULT_LINE_MODEL)?,
            layout_cues: read(&t.layout_cues_path, "layout_cues_path", cues::DEFAULT_LAYOUT_CUES)?,
        })
    }
}

/// `NEWSDESK_*` variables that are not settings and are expected: the config
/// file's path (a flag's variable) and the test harness's server binary.
const IGNORED_VARIABLES: &[&str] = &["NEWSDESK_CONFIG", "NEWSDESK_TEST_NATS_SERVER"];

/// The warning for a `NEWSDESK_*` variable that is no setting (Kubernetes
/// sets `NEWSDESK_PORT=tcp://…` for a Service named newsdesk).
fn unknown_variable(var: &str) -> String {
    let similar = similar_env(var);
    let hint = if similar.is_empty() { String::new() } else { format!("; did you mean {}?", similar.join(" or ")) };
    format!("{var} is not a newsdesk setting and is ignored{hint}")
}

/// The config file as sections: `[section] name = …`, or flat keys at the
/// top (`nats_url = …`) moved into their sections. A key newsdesk does not
/// have is an error naming the file and the key; a TOML error names the
/// line, without quoting it (the line may hold a secret).
fn file_table(text: &str, path: &str) -> Result<toml::Table, SettingsError> {
    let err = |reason: String| SettingsError::File { path: path.to_string(), reason };
    let parsed: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        err(match line {
            Some(n) => format!("line {n}: {}", e.message()),
            None => e.message().to_string(),
        })
    })?;
    let mut out = toml::Table::new();
    for (top, value) in parsed {
        if SECTIONS.contains(&top.as_str()) {
            let toml::Value::Table(keys) = value else {
                return Err(err(format!("[{top}] must be a section of keys")));
            };
            for (name, v) in keys {
                if by_path(&top, &name).is_none() {
                    let known: Vec<&str> = KEYS.iter().filter(|k| k.section == top).map(|k| k.name).collect();
                    return Err(err(format!("unknown key {name:?} in [{top}]; its keys are {}", known.join(", "))));
                }
                insert(&mut out, &top, name, v).map_err(err)?;
            }
        } else if let Some(key) = by_flat(&top) {
            insert(&mut out, key.section, key.name.to_string(), value).map_err(err)?;
        } else {
            return Err(err(format!(
                "unknown key {top:?}; the sections are {}, and the flat keys are the variable names without NEWSDESK_ (nats_url)",
                SECTIONS.join(", ")
            )));
        }
    }
    Ok(out)
}

/// Puts a key into its section; the same key given twice (flat and in its
/// section) is an error, not a silent choice.
fn insert(table: &mut toml::Table, section: &str, name: String, value: toml::Value) -> Result<(), String> {
    let entry = table.entry(section.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let toml::Value::Table(t) = entry {
        if t.contains_key(&name) {
            let flat = by_path(section, &name).map(Key::flat).unwrap_or_default();
            return Err(format!("[{section}] {name} is given twice (also as {flat}); keep one"));
        }
        t.insert(name, value);
    }
    Ok(())
}

/// A deserialisation error in plain words: the key, where its value came
/// from, what was given (never a secret) and what was expected.
fn value_error(e: &figment::Error, sources: &Sources) -> SettingsError {
    use figment::error::Kind;
    let e = e.clone().into_iter().next().unwrap_or_else(|| e.clone());
    let path = e.path.join(".");
    let given = sources.given.get(&path).map(|g| format!("{g} ")).unwrap_or_default();
    let reason = match &e.kind {
        Kind::InvalidType(_, expected) | Kind::InvalidValue(_, expected) => {
            format!("{given}is not {}", plain_expected(expected))
        }
        Kind::UnknownVariant(_, variants) => format!("{given}is not one of {}", variants.join(", ")),
        Kind::Message(m) => m.clone(),
        Kind::UnknownField(f, _) => format!("unknown key {f:?}"),
        other => other.to_string(),
    };
    SettingsError::Value { key: path.clone(), from: sources.source(&path), reason }
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

    fn error(file: Option<&str>, pairs: &[(&str, &str)]) -> String {
        Settings::build(file.map(|t| (t, "/etc/newsdesk/newsdesk.toml")), env(pairs)).unwrap_err().to_string()
    }

    #[test]
    fn defaults_then_file_then_env() {
        let s = Settings::from_sources(None, env(&[])).unwrap();
        assert_eq!(s.nats.url, "nats://127.0.0.1:4222");
        let s = Settings::from_sources(
            Some("[delivery]\nconcurrency = 2\n[streams]\nsubject_prefix = \"x.y\""),
            env(&[("NEWSDESK_CONCURRENCY", "7")]),
        )
        .unwrap();
        assert_eq!((s.delivery.concurrency, s.streams.subject_prefix.as_str()), (7, "x.y"));
        let flat = Settings::from_sources(Some("concurrency = 3\npages_stream = \"P\""), env(&[])).unwrap();
        assert_eq!((flat.delivery.concurrency, flat.streams.pages.as_str()), (3, "P"), "flat keys still work");
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
        assert_eq!(s.service.home_region.unwrap().as_str(), "140800");
        assert_eq!(s.nats.password.unwrap().expose(), "123456");
        assert_eq!(s.nats.user.as_deref(), Some("1001"));
        let t = Settings::from_sources(None, env(&[("NEWSDESK_NATS_TOKEN", "98765")])).unwrap();
        assert_eq!(t.nats.token.unwrap().expose(), "98765");
        assert_eq!(s.streams.durable, "2024");
        assert_eq!(s.delivery.concurrency, 8, "a number where a number is wanted");
        assert!(s.streams.region_subjects);
    }

    #[test]
    fn errors_name_the_key_the_source_and_what_was_expected_in_plain_words() {
        let e = error(None, &[("NEWSDESK_CONCURRENCY", "many")]);
        assert_eq!(
            e,
            "invalid configuration: delivery.concurrency (from environment variable NEWSDESK_CONCURRENCY): \
             \"many\" is not a whole number"
        );
        let e = error(Some("[delivery]\nconcurrency = 0\n"), &[]);
        assert_eq!(
            e,
            "invalid configuration: delivery.concurrency (from /etc/newsdesk/newsdesk.toml): must be between 1 and 1024"
        );
        let e = error(None, &[("NEWSDESK_REGION_SUBJECTS", "sometimes")]);
        assert!(e.contains("streams.region_subjects") && e.contains("is not true or false"), "{e}");
        let e = error(Some("subject_prefix = \"a b\""), &[]);
        assert!(
            e.contains("streams.subject_prefix (from /etc/newsdesk/newsdesk.toml)") && e.contains("dot-separated"),
            "{e}"
        );
        let e = error(None, &[("NEWSDESK_HOME_REGION", "14")]);
        assert!(e.contains("service.home_region (from environment variable NEWSDESK_HOME_REGION)"), "{e}");
        let e = error(None, &[("NEWSDESK_HTTP_LISTEN", "localhost:80")]);
        assert!(e.contains("service.http_listen") && e.contains("IP:port"), "{e}");
        let e = error(None, &[("NEWSDESK_LOG_FORMAT", "xml")]);
        assert!(e.contains("service.log_format") && e.contains("human, json"), "{e}");
        let e = error(Some("no_such_key = 1"), &[]);
        assert!(
            e.starts_with("invalid configuration file /etc/newsdesk/newsdesk.toml: unknown key \"no_such_key\""),
            "{e}"
        );
        let e = error(Some("[nats]\nurl = \"nats://x:1\"\nurll = 2\n"), &[]);
        assert!(e.contains("unknown key \"urll\" in [nats]; its keys are url, token"), "{e}");
        let e = error(Some("concurrency = 2\n[delivery]\nconcurrency = 3\n"), &[]);
        assert!(e.contains("[delivery] concurrency is given twice (also as concurrency)"), "{e}");
        let e = error(Some("[limits\nmax_page_bytes = 1"), &[]);
        assert!(e.starts_with("invalid configuration file /etc/newsdesk/newsdesk.toml: line 1"), "{e}");
    }

    #[test]
    fn no_secret_appears_in_an_error() {
        let e = error(Some("nats_password = [\"hunter2\"]"), &[("NEWSDESK_NATS_USER", "u")]);
        assert!(e.contains("nats.password") && !e.contains("hunter2"), "{e}");
        let e = error(Some("nats_password = \"hunter2\nx"), &[]);
        assert!(!e.contains("hunter2"), "a TOML error does not quote the line: {e}");
        let e = error(None, &[("NEWSDESK_NATS_PASSWORD", "hunter2")]);
        assert!(e.contains("nats.password (from environment variable NEWSDESK_NATS_PASSWORD)"), "{e}");
        assert!(e.contains("needs a user") && !e.contains("hunter2"), "{e}");
    }

    #[test]
    fn a_variable_that_is_no_setting_is_a_warning() {
        let loaded = Settings::build(
            None,
            env(&[
                ("NEWSDESK_PORT", "tcp://10.0.0.7:8080"),
                ("NEWSDESK_PAGE_STREAM", "X"),
                ("NEWSDESK_CONFIG", "x.toml"),
                ("NEWSDESK_CONCURRENCY", "4"),
            ]),
        )
        .unwrap();
        assert_eq!(loaded.settings.delivery.concurrency, 4);
        assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
        assert_eq!(loaded.warnings[0], "NEWSDESK_PORT is not a newsdesk setting and is ignored");
        assert!(loaded.warnings[1].contains("did you mean NEWSDESK_PAGES_STREAM"), "{:?}", loaded.warnings);
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
        assert_eq!(s.nats.url, "nats://a:1");
        let s = Settings::from_sources(None, env(&[("NATS_URL", "nats://a:1"), ("NEWSDESK_NATS_URL", "nats://b:2")]))
            .unwrap();
        assert_eq!(s.nats.url, "nats://b:2");
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
        assert_eq!(s.nats.password.as_ref().unwrap().expose(), "hunter2");
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
        assert_eq!(from_files.nats.token.as_ref().unwrap().expose(), "hunter2");
        assert!(from_files.nats.nkey.as_ref().unwrap().expose().ends_with("CNHTC4"));
        let shown = s.to_redacted_toml();
        assert!(!shown.contains("hunter2") && !shown.contains("tok-123"), "{shown}");
        assert!(shown.contains("[nats]\nurl = \"nats://127.0.0.1:4222\"  # NEWSDESK_NATS_URL"), "{shown}");
        assert!(format!("{s:?}").contains("[redacted]"));
        let missing = error(None, &[("NEWSDESK_NATS_TOKEN_FILE", "/nonexistent/token")]);
        assert!(missing.starts_with("cannot read /nonexistent/token (nats.token_file)"), "{missing}");
    }

    #[test]
    fn the_example_file_names_every_key_and_sets_the_defaults() {
        let text = include_str!("../../config/newsdesk.example.toml");
        let s = Settings::from_sources(Some(text), Vec::new()).unwrap();
        assert_eq!(s, Settings::default());
        for key in KEYS {
            let section = text.find(&format!("[{}]", key.section)).unwrap_or_else(|| panic!("[{}]", key.section));
            let named = text[section..]
                .lines()
                .any(|l| l.trim_start_matches(['#', ' ']).starts_with(&format!("{} =", key.name)));
            assert!(named, "config/newsdesk.example.toml does not mention {} in [{}]", key.name, key.section);
        }
        let value = serde_json::to_value(Settings::default()).unwrap();
        let fields: usize = value.as_object().unwrap().values().map(|v| v.as_object().unwrap().len()).sum();
        assert_eq!(fields, KEYS.len(), "every field has a key (variable) and every key a field");
    }
}
