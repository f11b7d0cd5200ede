//! wip
use std::process::ExitCode;
pub async fn serve_until_signal(_s: crate::settings::Settings) -> anyhow::Result<ExitCode> { todo!() }
