//! The command line: `serve`, `publish`, `tail`, `parse`, `demo`, `config`, `topics`.
//!
//! [`main`] parses arguments, loads settings, starts telemetry and runs one
//! subcommand; errors are printed once with their cause chain.

mod bench;
mod demo;
mod health;
mod known;
mod parse;
mod pdf;
mod publish;
mod repair;
mod tail;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::core::page::PageMeta;
use crate::core::subject::RegionCode;
use crate::core::tag::Tagger;
use crate::settings::Settings;

/// newsdesk: raw newspaper page dumps in over NATS, clean tagged articles out
/// on per-topic subjects.
#[derive(Debug, Parser)]
#[command(name = "newsdesk", version, about, long_about = None)]
pub struct Cli {
    /// Config file (default: config/newsdesk.toml if it exists; also NEWSDESK_CONFIG).
    #[arg(long, global = true, env = "NEWSDESK_CONFIG")]
    pub config: Option<PathBuf>,
    /// More log lines: client commands log only warnings and errors unless
    /// given -v (the configured log_level); -vv logs debug lines.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the service: consume page dumps, publish tagged articles.
    Serve,
    /// Publish page dump files, directories or `-` (stdin) to NATS.
    Publish(PublishArgs),
    /// Print articles as they arrive on topic subjects.
    Tail(TailArgs),
    /// Split and tag a page dump offline (no NATS); print the articles as JSON.
    Parse(ParseArgs),
    /// The one-command tour: service, seed pages, routed articles.
    Demo(DemoArgs),
    /// Print the effective configuration (secrets redacted).
    Config,
    /// List the topic taxonomy.
    Topics,
    /// Benchmark the service end to end against the configured NATS server.
    Bench(BenchArgs),
    /// Ask a running service whether it is ready (exit 0) or not (exit 1);
    /// the compose healthcheck.
    Health(HealthArgs),
    /// Check every routed page still has all its article messages and its
    /// page record; list the missing ones (exit 1) or say all are there (exit 0).
    Verify(VerifyArgs),
    /// Publish again the missing messages of some pages (and only those).
    Replay(ReplayArgs),
}

/// Flags of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Only pages stored at or after this time: RFC 3339 (2026-12-03T08:00:00Z),
    /// a date (2026-12-03, UTC), or an age (90s, 30m, 6h, 7d).
    #[arg(long, value_parser = parse_since)]
    pub since: Option<time::OffsetDateTime>,
    /// One JSON object a line: each page with missing messages, then a summary.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `replay`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["page_ids", "missing"])))]
pub struct ReplayArgs {
    /// Page ids (as `verify` prints them).
    pub page_ids: Vec<String>,
    /// Every page `verify` would report.
    #[arg(long)]
    pub missing: bool,
    /// Only pages stored at or after this time (as for `verify`).
    #[arg(long, value_parser = parse_since)]
    pub since: Option<time::OffsetDateTime>,
}

/// Seconds in one unit of an age given to `--since`.
fn age_unit_secs(unit: &str) -> Option<i64> {
    match unit {
        "s" => Some(1),
        "m" => Some(60),
        "h" => Some(3600),
        "d" => Some(86_400),
        _ => None,
    }
}

/// Parses `--since`: RFC 3339, a date (midnight UTC) or an age before now.
fn parse_since(s: &str) -> Result<time::OffsetDateTime, String> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    if let Some(date) = crate::core::subject::calendar_day(s) {
        return Ok(date.midnight().assume_utc());
    }
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if let (Ok(n), Some(unit)) = (digits.parse::<u32>(), age_unit_secs(&s[digits.len()..])) {
        let age = time::Duration::seconds(i64::from(n) * unit);
        if let Some(t) = time::OffsetDateTime::now_utc().checked_sub(age) {
            return Ok(t);
        }
    }
    Err(format!(
        "{s:?} is not a time: use RFC 3339 (2026-12-03T08:00:00Z), a date (2026-12-03) or an age (30m, 6h, 7d)"
    ))
}

/// Flags of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Pages to publish as fast as possible.
    #[arg(long, default_value_t = 5000)]
    pub pages: usize,
    /// Then publish at this steady rate (pages/s; 0: skip).
    #[arg(long, default_value_t = 200)]
    pub rate: usize,
    /// … for this many seconds.
    #[arg(long, default_value_t = 10)]
    pub rate_secs: usize,
    /// The page every bench page is made from (each gets a page-number line of its own).
    #[arg(long, default_value = "seeds/000_cccc709a122f3acc.txt")]
    pub page: std::path::PathBuf,
    /// Keep the bench streams afterwards.
    #[arg(long)]
    pub keep: bool,
    /// The nats-server process to measure the CPU of (default: the local
    /// nats-server serving the configured URL, when it can be told apart).
    #[arg(long)]
    pub nats_pid: Option<u32>,
}

/// Flags of `health`.
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// Ask `/healthz` (the process answers) instead of `/readyz`.
    #[arg(long)]
    pub live: bool,
    /// The service's HTTP address (default: `http_listen`, 0.0.0.0 read as 127.0.0.1).
    #[arg(long)]
    pub addr: Option<String>,
}

/// Page metadata flags shared by `publish` and `parse`.
#[derive(Debug, Args, Clone, Default)]
pub struct MetaArgs {
    /// Paper name (e.g. 运城日报).
    #[arg(long)]
    pub paper: Option<String>,
    /// Issue date, YYYY-MM-DD (e.g. 2025-05-06).
    #[arg(long, value_parser = parse_date)]
    pub date: Option<String>,
    /// Page number or name.
    #[arg(long)]
    pub page: Option<String>,
    /// 6-digit code of the paper's home area (resolves 我县/我市).
    #[arg(long, value_parser = parse_region)]
    pub home_region: Option<RegionCode>,
}

impl MetaArgs {
    /// Checks `--home-region` names a division of the gazetteer.
    ///
    /// # Errors
    /// Naming the code and the nearest divisions.
    fn check(&self, settings: &Settings) -> anyhow::Result<()> {
        match &self.home_region {
            Some(_) => self.check_against(&known::gazetteer(settings)?),
            None => Ok(()),
        }
    }

    /// [`MetaArgs::check`] against a gazetteer already loaded (the tagger's).
    ///
    /// # Errors
    /// Naming the code and the nearest divisions.
    fn check_against(&self, gazetteer: &crate::core::tag::gazetteer::Gazetteer) -> anyhow::Result<()> {
        match &self.home_region {
            Some(code) => known::check_region(gazetteer, code, "--home-region"),
            None => Ok(()),
        }
    }

    fn meta(&self, settings: &Settings) -> PageMeta {
        PageMeta {
            paper: self.paper.clone(),
            date: self.date.clone(),
            page: self.page.clone(),
            home_region: self.home_region.clone().or_else(|| settings.service.home_region.clone()),
        }
    }
}

fn parse_region(s: &str) -> Result<RegionCode, String> {
    RegionCode::parse(s).map_err(|e| e.to_string())
}

fn parse_date(s: &str) -> Result<String, String> {
    crate::core::subject::issue_date(s).map_err(|e| e.to_string())
}

/// Arguments of `publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Files, directories (their .txt, .json and .pdf files) or `-` for
    /// stdin. A PDF goes out page by page (text by poppler's pdftotext), each
    /// with its page number as metadata; `--page N` sends only page N.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Metadata sent as headers.
    #[command(flatten)]
    pub meta: MetaArgs,
    /// Last token of the page subject `<prefix>.pages.<token>`, e.g. the paper (`yuncheng-daily`).
    #[arg(long, default_value = "default")]
    pub token: String,
}

/// Arguments of `tail`.
#[derive(Debug, Args)]
pub struct TailArgs {
    /// Topic slugs to follow (default: all topics, including unsorted).
    pub topics: Vec<String>,
    /// Print the raw article JSON, one a line.
    #[arg(long)]
    pub json: bool,
    /// Only articles tagged with this region or one below it (6 or 9 digits).
    #[arg(long, value_parser = parse_region)]
    pub region: Option<RegionCode>,
    /// Exit after this many articles.
    #[arg(long)]
    pub count: Option<usize>,
    /// Replay the articles already stored in the stream, then follow new ones.
    #[arg(long)]
    pub all: bool,
}

/// Arguments of `parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The page dump file, or `-` for stdin.
    pub file: PathBuf,
    /// Page metadata.
    #[command(flatten)]
    pub meta: MetaArgs,
    /// Print the page record `{page, furniture, articles}` instead of the article array.
    #[arg(long, conflicts_with = "explain")]
    pub page_record: bool,
    /// Print each line of the page with the role it was given and its article.
    #[arg(long)]
    pub explain: bool,
}

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory of page dumps to publish.
    #[arg(long, default_value = "seeds")]
    pub seeds: PathBuf,
    /// Give up waiting for articles after this many seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsdesk: {}", error_chain(&e));
            ExitCode::FAILURE
        }
    }
}

/// Runs one parsed command line.
///
/// # Errors
/// Whatever the subcommand failed with.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let crate::settings::Loaded { settings, warnings } = Settings::load(cli.config.as_deref())?;
    let service = matches!(cli.command, Command::Serve | Command::Demo(_) | Command::Bench(_));
    crate::telemetry::init(
        settings.service.log_format,
        &crate::telemetry::command_level(service, cli.verbose, &settings.service.log_level),
    );
    for w in &warnings {
        tracing::warn!("{w}");
    }
    match cli.command {
        Command::Config => {
            print!("{}", settings.to_redacted_toml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Topics => {
            let taxonomy = known::taxonomy(&settings)?;
            let mut rows: Vec<[&str; 3]> =
                taxonomy.topics().iter().map(|t| [t.slug.as_str(), t.label.as_str(), t.scope.as_str()]).collect();
            rows.push([crate::core::tag::topics::UNSORTED, "未分类", "articles that fit no topic (reserved)"]);
            print!("{}", columns(&rows));
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse(args) => parse::run(&settings, &args),
        Command::Health(args) => health::run(&settings, &args),
        Command::Serve => runtime()?.block_on(crate::app::serve_until_signal(settings)),
        Command::Publish(args) => runtime()?.block_on(publish::run(&settings, &args)),
        Command::Tail(args) => runtime()?.block_on(tail::run(&settings, &args)),
        Command::Demo(args) => runtime()?.block_on(demo::run(settings, &args)),
        Command::Bench(args) => runtime()?.block_on(bench::run(settings, &args)),
        Command::Verify(args) => runtime()?.block_on(repair::verify(&settings, &args)),
        Command::Replay(args) => runtime()?.block_on(repair::replay(&settings, &args)),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Loads the tagger from the configured or embedded data.
///
/// # Errors
/// When a data file cannot be read or is malformed.
pub fn load_tagger(settings: &Settings) -> anyhow::Result<Tagger> {
    let data = settings.tag_data()?;
    Ok(Tagger::new(data.as_data())?)
}

/// Rows as aligned columns, padded by display width: a Chinese character
/// takes two terminal cells, so `{:<10}` (which counts characters) would not line up.
fn columns(rows: &[[&str; 3]]) -> String {
    use unicode_width::UnicodeWidthStr;
    let width = |i: usize| rows.iter().map(|r| r[i].width()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1));
    let mut out = String::new();
    for r in rows {
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - s.width()));
        out.push_str(&format!("{}  {}  {}\n", pad(r[0], w0), pad(r[1], w1), r[2]));
    }
    out
}

/// The error and its causes, `: `-separated, leaving out a cause whose text
/// the message before it already includes (as `limit: {0}` does).
fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

/// Settings for a run of its own (`demo`, `bench`) on a NATS server a real
/// newsdesk may share: subjects under `newsdesk-<name>`, streams
/// `NEWSDESK_<NAME>_*`, durable `newsdesk-<name>`; it neither joins the
/// micro service nor takes the HTTP port.
fn sandbox_settings(mut s: Settings, name: &str) -> Settings {
    use crate::settings::{ConsumerName, ListenAddr, StreamName, SubjectPrefix};
    let upper = name.to_ascii_uppercase();
    let stream = |kind: &str| StreamName::parse(&format!("NEWSDESK_{upper}_{kind}")).expect("a sandbox name is a name");
    s.streams.subject_prefix = SubjectPrefix::parse(&format!("newsdesk-{name}")).expect("a sandbox name is a token");
    s.streams.pages = stream("PAGES");
    s.streams.articles = stream("ARTICLES");
    s.streams.dead = stream("DEAD");
    s.streams.audit = stream("AUDIT");
    s.streams.durable = ConsumerName::parse(&format!("newsdesk-{name}")).expect("a sandbox name is a name");
    s.service.http_listen = ListenAddr::parse("").expect("empty turns HTTP off");
    s.service.parse_subject = String::new();
    s
}

/// Deletes the streams of a [`sandbox_settings`] run (missing ones are fine).
async fn delete_sandbox_streams(js: &async_nats::jetstream::Context, s: &Settings) {
    for name in [&s.streams.pages, &s.streams.articles, &s.streams.dead, &s.streams.audit] {
        let _ = js.delete_stream(name).await;
    }
}

#[cfg(test)]
mod tests {
    use super::parse_since;

    #[test]
    fn columns_line_up_by_display_width() {
        use unicode_width::UnicodeWidthStr;
        let text =
            super::columns(&[["inspection", "巡视巡察", "a"], ["party-building", "党建", "b"], ["x", "未分类", "c"]]);
        let starts: Vec<usize> = text.lines().map(|l| l[..l.rfind(' ').unwrap() + 1].width()).collect();
        assert_eq!(starts, [26, 26, 26], "{text}");
    }

    #[test]
    fn since_takes_rfc3339_a_date_or_an_age() {
        let t = parse_since("2026-12-03T08:00:00Z").unwrap();
        assert_eq!(t.unix_timestamp(), 1_796_284_800);
        assert_eq!(parse_since("2026-12-03").unwrap().unix_timestamp(), 1_796_256_000);
        let age = time::OffsetDateTime::now_utc() - parse_since("6h").unwrap();
        assert!((age.whole_seconds() - 6 * 3600).abs() < 60, "{age}");
        assert!(parse_since("7d").is_ok() && parse_since("90s").is_ok() && parse_since("30m").is_ok());
        for bad in ["yesterday", "6w", "2026-13-01", "h", "", "-1h", "4000000000d"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
    }
}
