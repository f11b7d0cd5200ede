//! Bad input: each kind goes to the dead-letter subject with its reason, the
//! page is terminated (not redelivered), and good pages still flow.

use async_nats::jetstream;

use crate::harness::*;

/// (name, payload, headers, what the Newsdesk-Error header must say)
type Case = (&'static str, Vec<u8>, Vec<(&'static str, &'static str)>, &'static str);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_is_dead_lettered_with_its_reason() {
    let server = NatsServer::start();
    let mut settings = settings(&server, "bad_input");
    settings.limits.max_page_bytes = 4096;
    settings.limits.max_line_chars = 200;
    settings.limits.max_articles = 2;
    let long_line = format!("标题\n\n{}。\n", "很长的一行".repeat(50));
    let many = (1..=3)
        .map(|i| format!("第{i}条消息标题\n\n本报讯(记者 张三)近日，某县召开第{i}次会议，部署有关工作。\n\n"))
        .collect::<String>();
    let client = client(&server).await;
    let js = jetstream::new(client.clone());
    ensure_streams(&js, &settings).await;
    let subject = format!("{}.pages.bad", settings.streams.subject_prefix);
    let oversize = "这是一段很长的正文。".repeat(200);
    let cases: Vec<Case> = vec![
            ("empty", b"  \n".to_vec(), vec![], "empty payload"),
            ("binary", b"\x7fELF\0\0\x01binary".to_vec(), vec![], "binary payload"),
            ("encoding", vec![0x61, 0xff, 0x81, 0x20, 0xfe, 0xff], vec![], "neither UTF-8 nor GB18030"),
            ("oversize", oversize.into_bytes(), vec![], "exceeds the limit"),
            (
                "no article",
                "第3版\n\n责任编辑：张三\n\n2025年5月6日 星期二".as_bytes().to_vec(),
                vec![],
                "no recognisable article",
            ),
            (
                "bad header",
                "标题\n\n本报讯(记者 张三)近日，某县召开会议，部署有关工作。".as_bytes().to_vec(),
                vec![("Newsdesk-Home-Region", "14")],
                "invalid",
            ),
            (
                "bad date header",
                "标题\n\n本报讯(记者 李四)近日，某县召开会议，部署有关工作。".as_bytes().to_vec(),
                vec![("Newsdesk-Date", "2025-13-45")],
                "invalid date \"2025-13-45\"",
            ),
            (
                "bad envelope date",
                r#"{"text": "标题\n\n本报讯(记者 王五)近日，某县召开会议，部署有关工作。", "date": "notadate"}"#
                    .as_bytes()
                    .to_vec(),
                vec![],
                "invalid date \"notadate\"",
            ),
            ("long line", long_line.into_bytes(), vec![], "over the limit of 200"),
            ("too many articles", many.into_bytes(), vec![], "3 articles on one page"),
        ];
    for (_, payload, headers, _) in &cases {
        publish(&js, &subject, payload, headers).await;
    }
    let service = Service::start(&settings).await;
    wait_for(20, "a dead letter per bad page", || async {
        stream_len(&js, &settings.streams.dead).await == cases.len() as u64
    })
    .await;
    wait_drained(&js, &settings, 20).await;

    let dead = stream_messages(&js, &settings.streams.dead).await;
    // Pages are processed concurrently: pair each dead letter with its page by source sequence.
    let by_seq = |seq: usize| {
        dead.iter()
            .find(|m| m.headers.get("Newsdesk-Source-Sequence").map(|v| v.as_str()) == Some(seq.to_string().as_str()))
            .unwrap_or_else(|| panic!("no dead letter for page {seq}"))
    };
    for (i, (name, payload, _, reason)) in cases.iter().enumerate() {
        let m = by_seq(i + 1);
        assert_eq!(m.subject.as_str(), format!("{}.dead.pages", settings.streams.subject_prefix), "{name}");
        let error = m.headers.get("Newsdesk-Error").unwrap_or_else(|| panic!("{name}: no Newsdesk-Error")).as_str();
        assert!(error.contains(reason), "{name}: {error:?} should say {reason:?}");
        assert_eq!(&m.payload[..], &payload[..], "{name}: original payload kept");
        assert_eq!(m.headers.get("Newsdesk-Deliveries").unwrap().as_str(), "1", "{name}: dead-lettered at once");
    }
    assert_eq!(stream_len(&js, &settings.streams.articles).await, 0, "bad pages publish no article");

    // Terminated, not redelivered: the consumer saw each page once.
    let stream = js.get_stream(&settings.streams.pages).await.unwrap();
    let mut c: jetstream::consumer::PullConsumer = stream.get_consumer(&settings.streams.durable).await.unwrap();
    let info = c.info().await.unwrap();
    assert_eq!(info.num_redelivered, 0);
    assert_eq!(info.delivered.stream_sequence, cases.len() as u64);

    // Nothing else is affected: a good page still comes through.
    publish(&js, &subject, include_bytes!("../fixtures/short_news.txt"), &[]).await;
    wait_for(20, "the good page's articles", || async { stream_len(&js, &settings.streams.articles).await > 0 }).await;
    assert_eq!(stream_len(&js, &settings.streams.dead).await, cases.len() as u64);
    service.shutdown().await;
}
