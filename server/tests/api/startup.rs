//! Starting over a database that already holds content: the port opens first, and the
//! content folder's changes appear once their import commits.

use crate::helpers::{repository_content, spawn_app_with, WriteLock};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_restart_serves_the_stored_content_while_the_import_waits() {
    let first = spawn_app_with(|config| config.content_dir = repository_content()).await;
    let database_url = first.database_url.clone();

    let folder = tempfile::tempdir().expect("a folder");
    std::fs::create_dir_all(folder.path().join("posts")).expect("creates");
    std::fs::write(
        folder.path().join("posts/late.md"),
        "+++\ntitle = \"Arrived late\"\nslug = \"arrived-late\"\ndate = 2024-05-01\n\
         summary = \"S\"\n+++\n\nText.\n",
    )
    .expect("writes");

    // Another writer holds the database: the restarted server's import has to wait for it.
    let writer = WriteLock::take(&database_url).await;

    let start = Instant::now();
    let second = spawn_app_with(|config| {
        config.database_url = database_url.clone();
        config.content_dir = folder.path().to_owned();
    })
    .await;
    let news = second.page("/news").await;
    assert_eq!(news.status, StatusCode::OK);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "served after {:?}",
        start.elapsed()
    );
    assert!(news.text().contains("A call to action"), "{}", news.text());
    assert!(
        !news.text().contains("Arrived late"),
        "the import cannot have committed yet"
    );

    writer.release().await;
    let start = Instant::now();
    loop {
        let news = second.page("/news").await;
        if news.text().contains("Arrived late") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the new post never appeared: {}",
            news.text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
