//! Every setting's key: the section and name it has in the TOML file, the
//! environment variable that sets it, and whether it is a secret. The one
//! table the loader, `newsdesk config` and the error messages read.

/// One setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Its section (`nats`, `streams` …).
    pub section: &'static str,
    /// Its name in the section (`url`).
    pub name: &'static str,
    /// Its environment variable (`NEWSDESK_NATS_URL`); the variable's name
    /// without `NEWSDESK_`, lower case, is also its key at the top of the file.
    pub env: &'static str,
    /// Never shown: not in errors, not in logs, not by `newsdesk config`.
    pub secret: bool,
}

impl Key {
    /// `section.name`.
    pub fn path(&self) -> String {
        format!("{}.{}", self.section, self.name)
    }

    /// The flat key (`nats_url`): the variable without the prefix, lower case.
    pub fn flat(&self) -> String {
        self.env.trim_start_matches(super::ENV_PREFIX).to_ascii_lowercase()
    }
}

const fn key(section: &'static str, name: &'static str, env: &'static str) -> Key {
    Key { section, name, env, secret: false }
}

const fn secret(section: &'static str, name: &'static str, env: &'static str) -> Key {
    Key { section, name, env, secret: true }
}

/// The sections, in the order `newsdesk config` prints them.
pub const SECTIONS: &[&str] = &["nats", "streams", "limits", "delivery", "service", "tagging"];

/// Every setting.
pub const KEYS: &[Key] = &[
    key("nats", "url", "NEWSDESK_NATS_URL"),
    secret("nats", "token", "NEWSDESK_NATS_TOKEN"),
    key("nats", "token_file", "NEWSDESK_NATS_TOKEN_FILE"),
    key("nats", "user", "NEWSDESK_NATS_USER"),
    secret("nats", "password", "NEWSDESK_NATS_PASSWORD"),
    key("nats", "password_file", "NEWSDESK_NATS_PASSWORD_FILE"),
    secret("nats", "nkey", "NEWSDESK_NATS_NKEY"),
    key("nats", "nkey_file", "NEWSDESK_NATS_NKEY_FILE"),
    key("nats", "creds", "NEWSDESK_NATS_CREDS"),
    key("nats", "tls_ca", "NEWSDESK_NATS_TLS_CA"),
    key("nats", "tls_cert", "NEWSDESK_NATS_TLS_CERT"),
    key("nats", "tls_key", "NEWSDESK_NATS_TLS_KEY"),
    key("nats", "tls_required", "NEWSDESK_NATS_TLS_REQUIRED"),
    key("streams", "subject_prefix", "NEWSDESK_SUBJECT_PREFIX"),
    key("streams", "pages", "NEWSDESK_PAGES_STREAM"),
    key("streams", "articles", "NEWSDESK_ARTICLES_STREAM"),
    key("streams", "dead", "NEWSDESK_DEAD_STREAM"),
    key("streams", "audit", "NEWSDESK_AUDIT_STREAM"),
    key("streams", "replicas", "NEWSDESK_STREAM_REPLICAS"),
    key("streams", "durable", "NEWSDESK_DURABLE"),
    key("streams", "adapt_to_config", "NEWSDESK_ADAPT_TO_CONFIG"),
    key("streams", "region_subjects", "NEWSDESK_REGION_SUBJECTS"),
    key("limits", "max_page_bytes", "NEWSDESK_MAX_PAGE_BYTES"),
    key("limits", "max_line_chars", "NEWSDESK_MAX_LINE_CHARS"),
    key("limits", "max_articles", "NEWSDESK_MAX_ARTICLES"),
    key("delivery", "concurrency", "NEWSDESK_CONCURRENCY"),
    key("delivery", "cpu_workers", "NEWSDESK_CPU_WORKERS"),
    key("delivery", "max_ack_pending", "NEWSDESK_MAX_ACK_PENDING"),
    key("delivery", "ack_wait_secs", "NEWSDESK_ACK_WAIT_SECS"),
    key("delivery", "max_deliver", "NEWSDESK_MAX_DELIVER"),
    key("delivery", "retry_delay_ms", "NEWSDESK_RETRY_DELAY_MS"),
    key("delivery", "publish_timeout_secs", "NEWSDESK_PUBLISH_TIMEOUT_SECS"),
    key("service", "http_listen", "NEWSDESK_HTTP_LISTEN"),
    key("service", "parse_subject", "NEWSDESK_PARSE_SUBJECT"),
    key("service", "log_format", "NEWSDESK_LOG_FORMAT"),
    key("service", "log_level", "NEWSDESK_LOG_LEVEL"),
    key("service", "home_region", "NEWSDESK_HOME_REGION"),
    key("tagging", "gazetteer_path", "NEWSDESK_GAZETTEER_PATH"),
    key("tagging", "topics_path", "NEWSDESK_TOPICS_PATH"),
    key("tagging", "stopwords_path", "NEWSDESK_STOPWORDS_PATH"),
    key("tagging", "userdict_path", "NEWSDESK_USERDICT_PATH"),
    key("tagging", "place_stopwords_path", "NEWSDESK_PLACE_STOPWORDS_PATH"),
    key("tagging", "papers_path", "NEWSDESK_PAPERS_PATH"),
    key("tagging", "former_names_path", "NEWSDESK_FORMER_NAMES_PATH"),
    key("tagging", "line_model_path", "NEWSDESK_LINE_MODEL_PATH"),
    key("tagging", "layout_cues_path", "NEWSDESK_LAYOUT_CUES_PATH"),
];

/// The key of a `section.name` path.
pub fn by_path(section: &str, name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.section == section && k.name == name)
}

/// The key a flat top-level file key (`nats_url`) stands for.
pub fn by_flat(flat: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.flat() == flat)
}

/// The key an environment variable sets.
pub fn by_env(var: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.env == var)
}

/// The variables most like an unknown one (sharing the most words), for
/// "did you mean".
pub fn similar_env(var: &str) -> Vec<&'static str> {
    let words: Vec<&str> = var.trim_start_matches(super::ENV_PREFIX).split('_').filter(|w| !w.is_empty()).collect();
    let shared = |k: &Key| k.env.split('_').filter(|w| words.contains(w)).count();
    let best = KEYS.iter().map(shared).max().unwrap_or(0);
    if best == 0 {
        return Vec::new();
    }
    KEYS.iter().filter(|k| shared(k) == best).map(|k| k.env).take(3).collect()
}

/// What a Rust type name in a deserialisation error means to an operator.
pub fn plain_expected(expected: &str) -> String {
    let e = expected.trim_matches('`');
    let whole = ["u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize"];
    if whole.iter().any(|t| e == *t || e.contains(&format!("{t} "))) || e.contains("integer") {
        "a whole number".into()
    } else if e.contains("bool") {
        "true or false".into()
    } else if e.contains("string") || e.contains("str") {
        "text".into()
    } else if e.contains("f64") || e.contains("f32") {
        "a number".into()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_one_variable_and_one_flat_key() {
        let mut envs: Vec<&str> = KEYS.iter().map(|k| k.env).collect();
        envs.sort();
        envs.dedup();
        assert_eq!(envs.len(), KEYS.len());
        assert!(KEYS.iter().all(|k| SECTIONS.contains(&k.section) && k.env.starts_with(super::super::ENV_PREFIX)));
        assert_eq!(by_flat("pages_stream").unwrap().path(), "streams.pages");
        assert_eq!(by_env("NEWSDESK_NATS_URL").unwrap().flat(), "nats_url");
        assert_eq!(similar_env("NEWSDESK_CONCURENCY"), Vec::<&str>::new());
        assert_eq!(
            similar_env("NEWSDESK_PAGE_STREAM"),
            ["NEWSDESK_PAGES_STREAM", "NEWSDESK_ARTICLES_STREAM", "NEWSDESK_DEAD_STREAM"]
        );
        assert_eq!(plain_expected("u64"), "a whole number");
        assert_eq!(plain_expected("a boolean"), "true or false");
    }
}
