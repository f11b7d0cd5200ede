//! Authentication and TLS against nats-servers configured for each: token,
//! user/password (from a secrets file), nkey seed, credentials file
//! (operator-mode JWTs made here), and TLS with a CA and client certificates
//! made here with rcgen. The right credential serves pages; none is refused.

use std::process::Stdio;
use std::time::{SystemTime, UNIX_EPOCH};

use async_nats::jetstream;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use newsdesk::bus::{self, FirstConnect};
use newsdesk::settings::{Secret, Settings};
use nkeys::KeyPair;

use crate::harness::*;

const SHORT: &str = include_str!("../fixtures/short_news.txt");

/// The service, connected with `settings`, routes a page; a client without
/// the credential (`denied`) cannot connect.
async fn serves_only_with_the_credential(settings: &Settings, denied: &Settings) {
    let refused = bus::connect(denied, "newsdesk-test", FirstConnect::Once).await;
    assert!(refused.is_err(), "connecting without the credential must fail");
    eprintln!("without the credential: {}", refused.unwrap_err());
    let client = bus::connect(settings, "newsdesk-test", FirstConnect::Once).await.expect("connects");
    let js = jetstream::new(client);
    let service = Service::start(settings).await;
    ensure_streams(&js, settings).await;
    publish(&js, &format!("{}.pages.auth", settings.streams.subject_prefix), SHORT.as_bytes(), &[]).await;
    wait_for(30, "the page's articles", || async { stream_len(&js, &settings.streams.articles).await > 0 }).await;
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_authentication_and_the_token_never_logged() {
    let token = "tok-5f3a9c1e-never-in-logs";
    let server = NatsServer::start_with(|_| format!("authorization {{ token: \"{token}\" }}\n"));
    let mut s = settings(&server, "auth_token");
    let denied = s.clone();
    s.nats.token = Some(Secret::new(token));
    serves_only_with_the_credential(&s, &denied).await;

    // The binary, given the token in its environment at debug level, logs it nowhere.
    let log = server.dir().join("newsdesk.log");
    let mut c = newsdesk();
    env_for(&mut c, &s);
    let mut child = c
        .env("NEWSDESK_NATS_TOKEN", token)
        .env("NEWSDESK_LOG_LEVEL", "debug")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let js = jetstream::new(bus::connect(&s, "newsdesk-test", FirstConnect::Once).await.unwrap());
    wait_for(30, "the binary to serve", || async {
        std::fs::read_to_string(&log).unwrap_or_default().contains("newsdesk serving")
    })
    .await;
    publish(&js, &format!("{}.pages.auth", s.streams.subject_prefix), format!("{SHORT}\n（二）").as_bytes(), &[]).await;
    wait_drained(&js, &s, 30).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("page routed"), "{text}");
    assert!(!text.contains(token), "the token appears in the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_and_password_from_a_secrets_file() {
    let server = NatsServer::start_with(|_| {
        "authorization { users: [ { user: newsdesk, password: \"pw-7d1c0b\" } ] }\n".to_string()
    });
    let mut s = settings(&server, "auth_userpass");
    let mut denied = s.clone();
    denied.nats.user = Some("newsdesk".into());
    denied.nats.password = Some(Secret::new("wrong"));
    let file = server.dir().join("password");
    std::fs::write(&file, "pw-7d1c0b\n").unwrap();
    // Loaded as the service loads it: the password comes from the file.
    let env = [
        ("NEWSDESK_NATS_URL", s.nats.url.clone()),
        ("NEWSDESK_NATS_USER", "newsdesk".into()),
        ("NEWSDESK_NATS_PASSWORD_FILE", file.display().to_string()),
    ];
    let loaded = Settings::from_sources(None, env.iter().map(|(k, v)| (k.to_string(), v.clone()))).unwrap();
    (s.nats.user, s.nats.password) = (loaded.nats.user, loaded.nats.password);
    assert_eq!(s.nats.password.as_ref().map(|p| p.expose().to_string()).as_deref(), Some("pw-7d1c0b"));
    serves_only_with_the_credential(&s, &denied).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nkey_seed_authentication() {
    let user = KeyPair::new_user();
    let public = user.public_key();
    let server = NatsServer::start_with(|_| format!("authorization {{ users: [ {{ nkey: {public} }} ] }}\n"));
    let mut s = settings(&server, "auth_nkey");
    let mut denied = s.clone();
    denied.nats.nkey = Some(Secret::new(KeyPair::new_user().seed().unwrap()));
    s.nats.nkey = Some(Secret::new(user.seed().unwrap()));
    serves_only_with_the_credential(&s, &denied).await;
}

/// A signed NATS JWT (`ed25519-nkey`) with the given claims under `nats`.
fn jwt(issuer: &KeyPair, subject: &str, name: &str, nats: serde_json::Value) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let claims = serde_json::json!({
        "jti": format!("{name}{now}").to_uppercase(), "iat": now, "iss": issuer.public_key(),
        "name": name, "sub": subject, "nats": nats,
    });
    let body = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"ed25519-nkey"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = issuer.sign(body.as_bytes()).unwrap();
    format!("{body}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_file_in_operator_mode() {
    let operator = KeyPair::new_operator();
    let system = KeyPair::new_account();
    let account = KeyPair::new_account();
    let user = KeyPair::new_user();
    let op = serde_json::json!({"type": "operator", "version": 2});
    let unlimited = serde_json::json!({"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
        "wildcards": true, "conn": -1, "leaf": -1});
    let mut js_limits = unlimited.clone();
    for k in ["mem_storage", "disk_storage", "streams", "consumer"] {
        js_limits[k] = serde_json::json!(-1);
    }
    let acc = |limits: &serde_json::Value| serde_json::json!({"limits": limits, "type": "account", "version": 2});
    let user_claims = serde_json::json!({"pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1,
        "type": "user", "version": 2});
    let user_jwt = jwt(&account, &user.public_key(), "newsdesk", user_claims);
    let server = NatsServer::start_with(|_| {
        format!(
            "operator: {}\nsystem_account: {}\nresolver: MEMORY\nresolver_preload: {{\n  {}: {}\n  {}: {}\n}}\n",
            jwt(&operator, &operator.public_key(), "test-operator", op),
            system.public_key(),
            system.public_key(),
            jwt(&operator, &system.public_key(), "SYS", acc(&unlimited)),
            account.public_key(),
            jwt(&operator, &account.public_key(), "newsroom", acc(&js_limits)),
        )
    });
    let creds = server.dir().join("newsdesk.creds");
    std::fs::write(
        &creds,
        format!(
            "-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n\
             ************************* IMPORTANT *************************\n\
             NKEY Seed printed below can be used to sign and prove identity.\n\n\
             -----BEGIN USER NKEY SEED-----\n{}\n------END USER NKEY SEED------\n",
            user.seed().unwrap()
        ),
    )
    .unwrap();
    let mut s = settings(&server, "auth_creds");
    let denied = s.clone();
    s.nats.creds = Some(creds);
    serves_only_with_the_credential(&s, &denied).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_with_a_private_ca_and_a_client_certificate() {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair as Key, KeyUsagePurpose};
    let ca_key = Key::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "newsdesk test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
    let issuer = Issuer::new(ca, ca_key);
    let leaf = |names: Vec<String>| {
        let key = Key::generate().unwrap();
        let cert = CertificateParams::new(names).unwrap().signed_by(&key, &issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let (server_cert, server_key) = leaf(vec!["127.0.0.1".into(), "localhost".into()]);
    let (client_cert, client_key) = leaf(vec!["newsdesk".into()]);
    let server = NatsServer::start_with(|dir| {
        for (name, pem) in [("ca.pem", &ca_pem), ("server.pem", &server_cert), ("server-key.pem", &server_key)] {
            std::fs::write(dir.join(name), pem).unwrap();
        }
        format!(
            "tls {{\n  cert_file: \"{0}/server.pem\"\n  key_file: \"{0}/server-key.pem\"\n  ca_file: \"{0}/ca.pem\"\n  verify: true\n}}\n",
            dir.display()
        )
    });
    let file = |name: &str, pem: &str| {
        let p = server.dir().join(name);
        std::fs::write(&p, pem).unwrap();
        p
    };
    let mut s = settings(&server, "tls");
    s.nats.tls_ca = Some(server.dir().join("ca.pem"));
    // Trusting the CA but showing no client certificate is not enough.
    let denied = s.clone();
    s.nats.tls_cert = Some(file("client.pem", &client_cert));
    s.nats.tls_key = Some(file("client-key.pem", &client_key));
    serves_only_with_the_credential(&s, &denied).await;
}
