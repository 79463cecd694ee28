//! Command line of the VB365 REST API simulator.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Parser;
use vb365_simulator::{seed, start, Ports, SimConfig};

const DEFAULT_ADMIN_PASSWORD: &str = "Restore-Demo-1";

/// Simulator of the Veeam Backup for Microsoft 365 REST API v6 (mailbox restore to the
/// original location). Listens on 127.0.0.1 only.
#[derive(Parser, Debug)]
#[command(name = "vb365-simulator", version)]
struct Cli {
    /// HTTP port (0 picks a free port).
    #[arg(long, default_value_t = 4080)]
    http_port: u16,
    /// HTTPS port with a self-signed certificate (0 picks a free port).
    #[arg(long, default_value_t = 4443)]
    https_port: u16,
    /// Serve plain HTTP only.
    #[arg(long)]
    no_https: bool,
    /// How long a valid mailbox restore runs before its 200, in milliseconds.
    #[arg(long, default_value_t = 3000)]
    restore_delay_ms: u64,
    /// Access token lifetime (`expires_in`), in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime_secs: u64,
    /// Device code lifetime (`expiresIn`), in seconds.
    #[arg(long, default_value_t = 900)]
    device_code_lifetime_secs: u64,
    /// Seconds after issue when a device code counts as signed in (0: only through
    /// POST /sim/device-codes/{userCode}/sign-in).
    #[arg(long, default_value_t = 10)]
    device_code_sign_in_after_secs: u64,
    /// Directory served at / for paths outside /v6 and /sim, with index.html for unknown
    /// paths without a file extension.
    #[arg(long)]
    static_dir: Option<PathBuf>,
    /// User name accepted by POST /v6/token (compared case-insensitively).
    #[arg(long, default_value = "administrator")]
    admin_user: String,
    /// Password accepted by POST /v6/token.
    #[arg(long, default_value = DEFAULT_ADMIN_PASSWORD)]
    admin_password: String,
    /// File to write the self-signed HTTPS certificate to (PEM).
    #[arg(long)]
    tls_cert_out: Option<PathBuf>,
    /// Apply Veeam's login throttle: 1 token request a second, 5 a minute, 429 beyond.
    #[arg(long)]
    token_throttle: bool,
    /// Add the organization Tailspin Toys with this many mailboxes and a working restore
    /// session (0: no such organization).
    #[arg(long, default_value_t = 0)]
    large_organization_mailboxes: u32,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    let cli = Cli::parse();
    let admin_password_is_default = cli.admin_password == DEFAULT_ADMIN_PASSWORD;
    let config = SimConfig {
        restore_delay_ms: cli.restore_delay_ms,
        token_lifetime_secs: cli.token_lifetime_secs,
        device_code_lifetime_secs: cli.device_code_lifetime_secs,
        device_code_sign_in_after_secs: cli.device_code_sign_in_after_secs,
        static_dir: cli.static_dir,
        admin_user: cli.admin_user.clone(),
        admin_password: cli.admin_password,
        token_throttle: cli.token_throttle,
        large_organization_mailboxes: cli.large_organization_mailboxes,
    };
    let ports = Ports {
        http: cli.http_port,
        https: (!cli.no_https).then_some(cli.https_port),
    };
    let simulator = start(config, ports).await?;

    if let (Some(path), Some(pem)) = (&cli.tls_cert_out, &simulator.certificate_pem) {
        std::fs::write(path, pem)?;
    }

    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "vb365-simulator listening on {}",
        simulator.http_url()
    )?;
    if let Some(url) = simulator.https_url() {
        writeln!(stdout, "vb365-simulator listening on {url}")?;
    }
    // The default password is a published demo value. A password given on the command line
    // is not printed.
    let password = if admin_password_is_default {
        DEFAULT_ADMIN_PASSWORD
    } else {
        "(the --admin-password value)"
    };
    writeln!(
        stdout,
        "Demo sign-in for POST /v6/token: user name '{}', password {password}",
        cli.admin_user
    )?;
    writeln!(
        stdout,
        "Microsoft 365 credentials for restores: any admin@<organization domain> with password {}.",
        seed::M365_ADMIN_PASSWORD
    )?;
    writeln!(
        stdout,
        "Sample restore session (Contoso Ltd.): {}",
        seed::CONTOSO_SESSION_ID
    )?;
    stdout.flush()?;
    drop(stdout);

    tokio::signal::ctrl_c().await?;
    tracing::info!("shutting down");
    Ok(())
}
