//! Config drift: an existing stream or consumer that differs from the
//! configuration is reported at start and refused, or adapted when configured.

use async_nats::jetstream::{self, consumer, stream};
use newsdesk::app;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drifted_stream_or_consumer_is_refused_or_adapted() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "drift");
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    // Someone created the pages stream with other subjects.
    js.create_stream(stream::Config {
        name: settings.streams.pages.to_string(),
        subjects: vec![format!("{}.pages.only", settings.streams.subject_prefix)],
        ..Default::default()
    })
    .await
    .unwrap();
    let run = |s: newsdesk::settings::Settings| async {
        let c = client.clone();
        app::run(s, c, TAGGER.clone(), async {}).await
    };
    let err = run(settings.clone()).await.unwrap_err().to_string();
    assert!(
        err.contains(&*settings.streams.pages) && err.contains("pages.only") && err.contains("adapt_to_config"),
        "{err}"
    );

    settings.streams.adapt_to_config = true;
    run(settings.clone()).await.unwrap();
    let mut s = js.get_stream(&settings.streams.pages).await.unwrap();
    assert_eq!(s.info().await.unwrap().config.subjects, vec![settings.pages_subjects()]);

    // Now the consumer: created earlier with another ack wait.
    let stream = js.get_stream(&settings.streams.pages).await.unwrap();
    stream.delete_consumer(&settings.streams.durable).await.unwrap();
    stream
        .create_consumer(consumer::pull::Config {
            durable_name: Some(settings.streams.durable.to_string()),
            ack_wait: std::time::Duration::from_secs(99),
            max_deliver: -1,
            max_ack_pending: settings.delivery.max_ack_pending,
            filter_subject: settings.pages_subjects(),
            ..Default::default()
        })
        .await
        .unwrap();
    settings.streams.adapt_to_config = false;
    let err = run(settings.clone()).await.unwrap_err().to_string();
    assert!(
        err.contains("ack_wait 99s") && err.contains(&format!("ack_wait {}s", settings.delivery.ack_wait_secs)),
        "{err}"
    );
    settings.streams.adapt_to_config = true;
    run(settings.clone()).await.unwrap();
    let mut c: consumer::PullConsumer = stream.get_consumer(&settings.streams.durable).await.unwrap();
    assert_eq!(c.info().await.unwrap().config.ack_wait, settings.ack_wait());
}
