//! wip
use std::process::ExitCode;
pub async fn run(_s: &crate::settings::Settings, _a: &super::TailArgs) -> anyhow::Result<ExitCode> { todo!() }
