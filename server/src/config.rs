//! Mahir's configuration: defaults, then `mahir.toml`, then `MAHIR_…` environment variables,
//! parsed once at start into typed values; a bad value names its key.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use serde::Deserialize;

/// A configuration value that could not be used; the message names the key.
#[derive(Debug, thiserror::Error)]
#[error("configuration key `{key}`: {message}")]
pub struct ConfigError {
    /// The key as an operator writes it, e.g. `MAHIR_LISTEN` or `listen`.
    pub key: String,
    /// What is wrong with the value.
    pub message: String,
}

impl ConfigError {
    fn new(key: &str, message: impl Into<String>) -> Self {
        Self {
            key: key.to_owned(),
            message: message.into(),
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The typed configuration the application is built from.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address the HTTP server binds to.
    pub listen: SocketAddr,
    /// Directory for the SQLite database, local materials, the search index and the outbox.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The search index of this replica (derived data; rebuilt from the database when
    /// missing): `<data_dir>/index` unless set.
    pub search_dir: PathBuf,
    /// Public URL of the site, used in links that leave the browser (mail) and for `Secure` cookies.
    pub base_url: String,
    /// Password of every demo account; random when unset.
    pub demo_password: Option<String>,
    /// A session unused this long is ended.
    pub session_idle: Duration,
    /// A session is ended this long after login, used or not.
    pub session_absolute: Duration,
    /// API tokens expire this long after they are issued.
    pub token_lifetime: Duration,
    /// Log line format.
    pub log_format: LogFormat,
    /// Maximum database connections in the pool.
    pub database_max_connections: u32,
    /// Where material bytes live: `file:///abs/path`, `s3://bucket` or `memory://`.
    pub storage_url: String,
    /// Largest material accepted, in bytes.
    pub max_upload_bytes: u64,
    /// Total size of the materials one user may upload, in bytes.
    pub upload_quota_bytes: u64,
    /// Client addresses that may read `/metrics` on the main address.
    pub metrics_allow: Vec<ipnet::IpNet>,
    /// A separate address serving only `/metrics` (and the health checks); when set, the
    /// main address does not serve `/metrics` at all.
    pub metrics_listen: Option<SocketAddr>,
    /// A connection that has not sent a request's headers within this time is closed.
    pub header_timeout: Duration,
    /// A request (other than an upload's body) that takes longer is answered with 503.
    pub request_timeout: Duration,
    /// After SIGTERM, connections still open this long are closed.
    pub shutdown_timeout: Duration,
    /// `smtp://…` or `smtps://…` to send mail; `None` writes each mail to `<data_dir>/outbox`.
    pub smtp_url: Option<String>,
    /// The sender of Mahir's mail.
    pub mail_from: String,
    /// The rules of competency evidence and learning hours.
    pub learning: LearningRules,
    /// The job queue's workers and schedule.
    pub jobs: JobRules,
}

/// How this replica works the job queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobRules {
    /// Jobs this replica runs at once (default 2).
    pub workers: u32,
    /// Whether this replica enqueues the scheduled jobs (default on; every replica may, each
    /// period's job is enqueued once).
    pub schedule: bool,
    /// The month (1–12) from which employees short of the JP target are reminded monthly
    /// (default 7: from July).
    pub jp_reminder_from_month: u32,
}

impl Default for JobRules {
    fn default() -> Self {
        Self {
            workers: 2,
            schedule: true,
            jp_reminder_from_month: 7,
        }
    }
}

/// The rules of learning hours and competency evidence (settings, not constants: the
/// regulation's numbers may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearningRules {
    /// JP each employee should reach in a calendar year (default 20).
    pub jp_target: i32,
    /// Minutes in one JP (default 45).
    pub jp_minutes: i32,
    /// The share, in per cent, of a level's tagged quiz questions a learner must have
    /// answered correctly for the level to count as evidence (default 80).
    pub quiz_evidence_percent: i32,
}

impl Default for LearningRules {
    fn default() -> Self {
        Self {
            jp_target: 20,
            jp_minutes: 45,
            quiz_evidence_percent: 80,
        }
    }
}

/// The file form: every key optional, names as in `deploy/mahir.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<String>,
    search_dir: Option<String>,
    database_url: Option<String>,
    base_url: Option<String>,
    demo_password: Option<String>,
    session_idle_minutes: Option<u64>,
    session_absolute_hours: Option<u64>,
    token_lifetime_days: Option<u64>,
    log_format: Option<String>,
    database_max_connections: Option<u32>,
    storage_url: Option<String>,
    max_upload_mb: Option<u64>,
    upload_quota_mb: Option<u64>,
    metrics_allow: Option<String>,
    metrics_listen: Option<String>,
    header_timeout_seconds: Option<u64>,
    request_timeout_seconds: Option<u64>,
    shutdown_timeout_seconds: Option<u64>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    jp_target: Option<u64>,
    jp_minutes: Option<u64>,
    quiz_evidence_percent: Option<u64>,
    job_workers: Option<u64>,
    job_schedule: Option<bool>,
    jp_reminder_from_month: Option<u64>,
}

impl Config {
    /// Reads the configuration file (if any) and the process environment.
    pub fn load(file: Option<PathBuf>) -> Result<Self, ConfigError> {
        let path = file.or_else(|| std::env::var_os("MAHIR_CONFIG").map(PathBuf::from));
        let text = match path {
            Some(p) => Some(std::fs::read_to_string(&p).map_err(|e| {
                ConfigError::new("MAHIR_CONFIG", format!("cannot read {}: {e}", p.display()))
            })?),
            None => std::fs::read_to_string("mahir.toml").ok(),
        };
        Self::from_sources(text.as_deref(), |k| std::env::var(k).ok())
    }

    /// Builds the configuration from a file's text and an environment lookup.
    pub fn from_sources(
        file: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let file: FileConfig = match file {
            Some(text) => toml::from_str(text)
                .map_err(|e| ConfigError::new("mahir.toml", e.message().to_owned()))?,
            None => FileConfig::default(),
        };
        // Each value: environment first, then the file, then the default.
        let pick = |env_key: &str, file_value: Option<String>| -> Option<(String, String)> {
            env(env_key)
                .map(|v| (env_key.to_owned(), v))
                .or_else(|| file_value.map(|v| (file_key(env_key), v)))
        };
        let num =
            |env_key: &str, file_value: Option<u64>| -> Result<Option<u64>, ConfigError> {
                match env(env_key) {
                    Some(v) => v.trim().parse::<u64>().map(Some).map_err(|_| {
                        ConfigError::new(env_key, format!("`{v}` is not a whole number"))
                    }),
                    None => Ok(file_value),
                }
            };

        let listen = match pick("MAHIR_LISTEN", file.listen) {
            Some((key, v)) => v.parse::<SocketAddr>().map_err(|_| {
                ConfigError::new(&key, format!("`{v}` is not an address like 127.0.0.1:8080"))
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let data_dir = match pick("MAHIR_DATA_DIR", file.data_dir) {
            Some((key, v)) if v.trim().is_empty() => {
                return Err(ConfigError::new(&key, "must not be empty"));
            }
            Some((_, v)) => PathBuf::from(v),
            None => PathBuf::from("./data"),
        };
        let search_dir = match pick("MAHIR_SEARCH_DIR", file.search_dir) {
            Some((key, v)) if v.trim().is_empty() => {
                return Err(ConfigError::new(&key, "must not be empty"));
            }
            Some((_, v)) => PathBuf::from(v),
            None => data_dir.join("index"),
        };
        let database_url = match pick("MAHIR_DATABASE_URL", file.database_url) {
            Some((key, v)) => {
                if v.starts_with("sqlite:")
                    || v.starts_with("postgres://")
                    || v.starts_with("postgresql://")
                {
                    v
                } else {
                    return Err(ConfigError::new(
                        &key,
                        format!("`{v}` must start with sqlite:, postgres:// or postgresql://"),
                    ));
                }
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("mahir.db").display()),
        };
        let base_url = match pick("MAHIR_BASE_URL", file.base_url) {
            Some((key, v)) => {
                let v = v.trim_end_matches('/').to_owned();
                if !(v.starts_with("http://") || v.starts_with("https://")) || v.len() < 10 {
                    return Err(ConfigError::new(
                        &key,
                        format!("`{v}` must be an http:// or https:// URL"),
                    ));
                }
                v
            }
            None => format!("http://{listen}"),
        };
        let demo_password = match pick("MAHIR_DEMO_PASSWORD", file.demo_password) {
            Some((key, v)) if v.chars().count() < 8 => {
                return Err(ConfigError::new(&key, "must be at least 8 characters long"));
            }
            Some((_, v)) => Some(v),
            None => None,
        };
        let minutes = |env_key: &str, v: Option<u64>, default: u64, unit: u64| {
            let n = num(env_key, v)?.unwrap_or(default);
            if n == 0 {
                return Err(ConfigError::new(env_key, "must be greater than zero"));
            }
            Ok::<_, ConfigError>(Duration::from_secs(n * unit))
        };
        let session_idle = minutes(
            "MAHIR_SESSION_IDLE_MINUTES",
            file.session_idle_minutes,
            30,
            60,
        )?;
        let session_absolute = minutes(
            "MAHIR_SESSION_ABSOLUTE_HOURS",
            file.session_absolute_hours,
            12,
            3600,
        )?;
        let token_lifetime = minutes(
            "MAHIR_TOKEN_LIFETIME_DAYS",
            file.token_lifetime_days,
            30,
            86_400,
        )?;
        let log_format = match pick("MAHIR_LOG_FORMAT", file.log_format) {
            Some((key, v)) => match v.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(ConfigError::new(&key, format!("`{v}` is not text or json"))),
            },
            None => LogFormat::Text,
        };
        let database_max_connections = match env("MAHIR_DATABASE_MAX_CONNECTIONS") {
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    ConfigError::new(
                        "MAHIR_DATABASE_MAX_CONNECTIONS",
                        format!("`{v}` is not a positive whole number"),
                    )
                })?,
            None => file.database_max_connections.unwrap_or(16),
        };
        let storage_url = match pick("MAHIR_STORAGE_URL", file.storage_url) {
            Some((key, v)) => {
                if v.starts_with("file:///") || v.starts_with("s3://") || v == "memory://" {
                    v
                } else {
                    return Err(ConfigError::new(
                        &key,
                        format!("`{v}` must be file:///absolute/path, s3://bucket or memory://"),
                    ));
                }
            }
            None => {
                let dir = std::path::absolute(data_dir.join("objects")).map_err(|e| {
                    ConfigError::new("MAHIR_DATA_DIR", format!("cannot resolve: {e}"))
                })?;
                format!("file://{}", dir.display())
            }
        };
        let max_upload_mb = num("MAHIR_MAX_UPLOAD_MB", file.max_upload_mb)?.unwrap_or(512);
        if max_upload_mb == 0 || max_upload_mb > 64 * 1024 {
            return Err(ConfigError::new(
                "MAHIR_MAX_UPLOAD_MB",
                "must be between 1 and 65536",
            ));
        }
        let upload_quota_mb =
            num("MAHIR_UPLOAD_QUOTA_MB", file.upload_quota_mb)?.unwrap_or(20 * 1024);
        if upload_quota_mb == 0 {
            return Err(ConfigError::new(
                "MAHIR_UPLOAD_QUOTA_MB",
                "must be greater than zero",
            ));
        }
        let metrics_allow = match pick("MAHIR_METRICS_ALLOW", file.metrics_allow) {
            Some((key, v)) => parse_networks(&v).map_err(|m| ConfigError::new(&key, m))?,
            None => parse_networks(DEFAULT_METRICS_ALLOW).unwrap_or_default(),
        };
        let metrics_listen = match pick("MAHIR_METRICS_LISTEN", file.metrics_listen) {
            Some((_, v)) if v.trim().is_empty() => None,
            Some((key, v)) => Some(v.trim().parse::<SocketAddr>().map_err(|_| {
                ConfigError::new(&key, format!("`{v}` is not an address like 127.0.0.1:9090"))
            })?),
            None => None,
        };
        let seconds = |env_key: &str, v: Option<u64>, default: u64, max: u64| {
            let n = num(env_key, v)?.unwrap_or(default);
            if n == 0 || n > max {
                return Err(ConfigError::new(
                    env_key,
                    format!("must be between 1 and {max} seconds"),
                ));
            }
            Ok::<_, ConfigError>(Duration::from_secs(n))
        };
        let header_timeout = seconds(
            "MAHIR_HEADER_TIMEOUT_SECONDS",
            file.header_timeout_seconds,
            10,
            300,
        )?;
        let request_timeout = seconds(
            "MAHIR_REQUEST_TIMEOUT_SECONDS",
            file.request_timeout_seconds,
            60,
            3600,
        )?;
        let shutdown_timeout = seconds(
            "MAHIR_SHUTDOWN_TIMEOUT_SECONDS",
            file.shutdown_timeout_seconds,
            10,
            3600,
        )?;
        let smtp_url = match pick("MAHIR_SMTP_URL", file.smtp_url) {
            Some((_, v)) if v.trim().is_empty() => None,
            Some((key, v)) => {
                let v = v.trim().to_owned();
                if !(v.starts_with("smtp://") || v.starts_with("smtps://")) {
                    return Err(ConfigError::new(
                        &key,
                        "must start with smtp:// or smtps://".to_owned(),
                    ));
                }
                Some(v)
            }
            None => None,
        };
        let mail_from = match pick("MAHIR_MAIL_FROM", file.mail_from) {
            Some((key, v)) => {
                if v.parse::<lettre::message::Mailbox>().is_err() {
                    return Err(ConfigError::new(
                        &key,
                        format!("`{v}` is not an address like Mahir <mahir@jakarta.go.id>"),
                    ));
                }
                v
            }
            None => DEFAULT_MAIL_FROM.to_owned(),
        };
        let bounded = |env_key: &str, v: Option<u64>, default: i32, max: i32| {
            let n = num(env_key, v)?.map_or(Ok(default), |n| {
                i32::try_from(n).map_err(|_| ConfigError::new(env_key, "too large"))
            })?;
            if !(1..=max).contains(&n) {
                return Err(ConfigError::new(
                    env_key,
                    format!("must be between 1 and {max}"),
                ));
            }
            Ok::<_, ConfigError>(n)
        };
        let learning = LearningRules {
            jp_target: bounded("MAHIR_JP_TARGET", file.jp_target, 20, 1000)?,
            jp_minutes: bounded("MAHIR_JP_MINUTES", file.jp_minutes, 45, 240)?,
            quiz_evidence_percent: bounded(
                "MAHIR_QUIZ_EVIDENCE_PERCENT",
                file.quiz_evidence_percent,
                80,
                100,
            )?,
        };
        let schedule = match env("MAHIR_JOB_SCHEDULE") {
            Some(v) => match v.trim() {
                "on" | "true" | "1" => true,
                "off" | "false" | "0" => false,
                _ => return Err(ConfigError::new("MAHIR_JOB_SCHEDULE", "must be on or off")),
            },
            None => file.job_schedule.unwrap_or(true),
        };
        let jobs = JobRules {
            workers: bounded("MAHIR_JOB_WORKERS", file.job_workers, 2, 64)? as u32,
            schedule,
            jp_reminder_from_month: bounded(
                "MAHIR_JP_REMINDER_FROM_MONTH",
                file.jp_reminder_from_month,
                7,
                12,
            )? as u32,
        };
        Ok(Self {
            learning,
            jobs,
            listen,
            data_dir,
            search_dir,
            database_url,
            base_url,
            demo_password,
            session_idle,
            session_absolute,
            token_lifetime,
            log_format,
            database_max_connections,
            storage_url,
            max_upload_bytes: max_upload_mb * 1024 * 1024,
            upload_quota_bytes: upload_quota_mb.saturating_mul(1024 * 1024),
            metrics_allow,
            metrics_listen,
            header_timeout,
            request_timeout,
            shutdown_timeout,
            smtp_url,
            mail_from,
        })
    }

    /// Whether cookies must carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// Who may read `/metrics` unless configured: this machine only.
const DEFAULT_METRICS_ALLOW: &str = "127.0.0.0/8, ::1/128";

/// The sender of mail unless configured.
const DEFAULT_MAIL_FROM: &str = "Mahir <mahir@localhost>";

/// A comma-separated list of networks (`10.0.0.0/8`) or single addresses (`10.1.2.3`); an
/// empty list allows no one.
fn parse_networks(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("`{s}` is not an address or a network like 10.0.0.0/8"))
        })
        .collect()
}

/// `MAHIR_SESSION_IDLE_MINUTES` → `session_idle_minutes`, the key's name in `mahir.toml`.
fn file_key(env_key: &str) -> String {
    env_key.trim_start_matches("MAHIR_").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_are_the_embedded_setup() {
        let c = Config::from_sources(None, env_of(&[])).expect("defaults");
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.database_url.starts_with("sqlite://./data/mahir.db"));
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert!(!c.secure_cookies());
        assert_eq!(c.metrics_allow.len(), 2);
        assert_eq!(c.shutdown_timeout, Duration::from_secs(10));
        assert!(c.smtp_url.is_none());
    }

    #[test]
    fn environment_overrides_the_file() {
        let file = "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/mahir\"\n";
        let c = Config::from_sources(Some(file), env_of(&[("MAHIR_LISTEN", "127.0.0.1:9100")]))
            .expect("valid");
        assert_eq!(c.listen.port(), 9100);
        assert_eq!(c.data_dir, PathBuf::from("/srv/mahir"));
    }

    #[test]
    fn bad_values_name_their_key() {
        let e = Config::from_sources(None, env_of(&[("MAHIR_LISTEN", "nowhere")]))
            .expect_err("must be refused");
        assert_eq!(e.key, "MAHIR_LISTEN");
        let e =
            Config::from_sources(Some("listen = \"x\""), env_of(&[])).expect_err("must be refused");
        assert_eq!(e.key, "listen");
        let e = Config::from_sources(None, env_of(&[("MAHIR_DATABASE_URL", "mysql://x")]))
            .expect_err("must be refused");
        assert_eq!(e.key, "MAHIR_DATABASE_URL");
        let e = Config::from_sources(None, env_of(&[("MAHIR_SESSION_IDLE_MINUTES", "soon")]))
            .expect_err("must be refused");
        assert_eq!(e.key, "MAHIR_SESSION_IDLE_MINUTES");
        let e = Config::from_sources(None, env_of(&[("MAHIR_METRICS_ALLOW", "10.0.0.0/33")]))
            .expect_err("must be refused");
        assert_eq!(e.key, "MAHIR_METRICS_ALLOW");
        let e = Config::from_sources(None, env_of(&[("MAHIR_SHUTDOWN_TIMEOUT_SECONDS", "0")]))
            .expect_err("must be refused");
        assert_eq!(e.key, "MAHIR_SHUTDOWN_TIMEOUT_SECONDS");
        let e = Config::from_sources(None, env_of(&[("MAHIR_SMTP_URL", "mail.example.org")]))
            .expect_err("must be refused");
        assert_eq!(e.key, "MAHIR_SMTP_URL");
        let e = Config::from_sources(Some("colour = 1"), env_of(&[])).expect_err("must be refused");
        assert!(e.to_string().contains("mahir.toml"), "{e}");
    }
}
