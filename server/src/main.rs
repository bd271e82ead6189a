use clap::Parser;
use server::{config::Config, startup::Application, telemetry};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let config = Config::parse();
    let result = async {
        let app = Application::build(config).await?;
        app.run_until_stopped().await
    };
    match result.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line a person can act on, e.g. "cannot open the database data/site.db: …".
            eprintln!("server: {error:#}");
            ExitCode::FAILURE
        }
    }
}
