use clap::Parser;
use server::{
    backup,
    config::{Cli, Command, Export, Pledges, Staff},
    export, staff,
    startup::Application,
    telemetry,
};
use std::process::ExitCode;

// See the workspace manifest: glibc's malloc held on to what a large post's import and
// search freed.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("server: cannot start its threads: {error}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(run());
    // A blocking task still at work (the start-up import parsing a folder) must not hold up
    // the exit that the shutdown's grace period promised.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    code
}

async fn run() -> ExitCode {
    let Cli { config, command } = Cli::parse();
    let result = match command {
        None => {
            telemetry::init();
            async {
                let app = Application::build(config).await?;
                app.run_until_stopped().await
            }
            .await
        }
        Some(Command::Export(Export::Pledges { format })) => {
            export::pledges(&config.database_url, format, std::io::stdout().lock()).await
        }
        Some(Command::Import { dir }) => {
            let dir = dir.unwrap_or_else(|| config.content_dir.clone());
            async {
                let pool = server::db::connect(&config.database_url).await?;
                let imported = server::import::import_dir(&pool, &dir).await;
                pool.close().await;
                let imported = imported?;
                for slug in &imported.kept_from_workspace {
                    println!(
                        "kept {slug} as the staff workspace left it: its file was not imported"
                    );
                }
                println!(
                    "imported {} posts and {} members from {}",
                    imported.posts,
                    imported.members,
                    dir.display()
                );
                Ok(())
            }
            .await
        }
        Some(Command::Backup { to }) => backup::backup(&config.database_url, &to)
            .await
            .map(|held| println!("backed up to {}: {held}", to.display())),
        Some(Command::Restore { from, force }) => {
            backup::restore(&config.database_url, &from, force)
                .await
                .map(|(target, held)| {
                    println!("restored {} into {}: {held}", from.display(), target);
                })
        }
        Some(Command::Export(Export::Consents { format })) => {
            export::consents(&config.database_url, format, std::io::stdout().lock()).await
        }
        Some(Command::Export(Export::Content { dir })) => {
            export::content(&config.database_url, &dir).await
        }
        Some(Command::Export(Export::PageViews { format })) => {
            export::page_views(&config.database_url, format, std::io::stdout().lock()).await
        }
        Some(Command::Staff(Staff::Add { email, role })) => staff::add(
            &config.database_url,
            &config.link_base(),
            &email,
            role.into(),
        )
        .await
        .map(|done| println!("{done}")),
        Some(Command::Staff(Staff::ResetLink { email })) => {
            staff::reset_link(&config.database_url, &config.link_base(), &email)
                .await
                .map(|done| println!("{done}"))
        }
        Some(Command::Pledges(Pledges::MarkReceived { reference })) => {
            staff::mark_received(&config.database_url, &reference)
                .await
                .map(|done| println!("{done}"))
        }
        Some(Command::Pledges(Pledges::Cancel { reference })) => {
            staff::cancel(&config.database_url, &reference)
                .await
                .map(|done| println!("{done}"))
        }
        Some(Command::Export(Export::Signups { campaign, format })) => {
            export::signups(
                &config.database_url,
                &campaign,
                format,
                std::io::stdout().lock(),
            )
            .await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line a person can act on, e.g. "cannot open the database data/site.db: …".
            eprintln!("server: {error:#}");
            ExitCode::FAILURE
        }
    }
}
