//! The view of the browser's check of the picked PFX file with the typed password.

use std::time::Duration;

use leptos::prelude::*;
use restore_core::certificate_check::{check_certificate, CertificateCheck};
use restore_core::pfx::{PasswordCheck, PfxDetails};

use crate::clock::now_ms;
use crate::state::RestoreForm;

/// Pause after the last keystroke before the password is checked. The check derives keys
/// with thousands of hash iterations, so it does not run on every key.
const CHECK_DELAY: Duration = Duration::from_millis(300);

/// Re-checks the certificate whenever the file or the password changes, after a pause.
///
/// Each change schedules a check that runs only if no later change came. The scheduled
/// callbacks read the password when they run rather than holding a copy: a cancelled
/// browser timer never drops its callback, so a copy held there would stay in memory.
pub fn watch_certificate(form: RestoreForm) {
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        form.certificate_password.track();
        let has_file = form.certificate.with(Option::is_some);
        generation.update_value(|latest| *latest += 1);
        if !has_file {
            form.certificate_check.set(None);
            return;
        }
        let scheduled = generation.get_value();
        set_timeout(
            move || {
                if generation.try_get_value() != Some(scheduled) {
                    return;
                }
                let now_secs = (now_ms() / 1000.0) as i64;
                let check = form.certificate_password.with_untracked(|password| {
                    form.certificate.with_untracked(|file| {
                        file.as_ref()
                            .map(|file| check_certificate(file.pfx.expose(), password, now_secs))
                    })
                });
                form.certificate_check.set(check);
            },
            CHECK_DELAY,
        );
    });
}

#[component]
pub fn CertificateStatus() -> impl IntoView {
    let form = expect_context::<RestoreForm>();
    view! {
        {move || form.certificate_check.get().map(|check| view! { <CheckView check /> })}
    }
}

#[component]
fn CheckView(check: CertificateCheck) -> impl IntoView {
    let password_class = match &check.password {
        PasswordCheck::Correct { .. } => "ok",
        PasswordCheck::Wrong | PasswordCheck::Malformed(_) => "error",
        PasswordCheck::NoMac | PasswordCheck::Unsupported(_) => "warning",
    };
    let password_message = check
        .shows_password_verdict()
        .then(|| check.password.message());
    view! {
        <div class="certificate-check" id="certificate-check" aria-live="polite">
            {password_message.map(|message| view! {
                <p class=format!("verdict {password_class}") id="certificate-password-verdict">{message}</p>
            })}
            {check.problem.map(|problem| view! {
                <p class="notice error" id="certificate-problem">{problem}</p>
            })}
            {check.details.map(|details| view! { <DetailsView details /> })}
            {(!check.warnings.is_empty()).then(|| view! {
                <ul class="certificate-warnings">
                    {check.warnings.into_iter().map(|warning| view! { <li>{warning}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[component]
fn DetailsView(details: PfxDetails) -> impl IntoView {
    let leaf = details
        .leaf()
        .cloned()
        .or_else(|| details.certificates.first().cloned());
    let others = details.certificates.len().saturating_sub(1);
    let encryption = |value: Option<&restore_core::pfx::Encryption>| {
        value
            .map(ToString::to_string)
            .unwrap_or_else(|| "none".to_string())
    };
    let rows = leaf.map(|leaf| {
        vec![
            ("Subject", leaf.subject),
            ("Issuer", leaf.issuer),
            ("Serial number", leaf.serial_hex),
            ("Valid from", leaf.not_before),
            ("Valid until", leaf.not_after),
            ("SHA-1 thumbprint", leaf.thumbprint_sha1),
        ]
    });
    let mut more = vec![
        (
            "Private key",
            if details.has_private_key {
                "present"
            } else {
                "missing"
            }
            .to_string(),
        ),
        (
            "Certificate encryption",
            encryption(details.certificate_encryption.as_ref()),
        ),
        (
            "Key encryption",
            encryption(details.key_encryption.as_ref()),
        ),
        (
            "Integrity check",
            details
                .mac
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_else(|| "none".into()),
        ),
    ];
    if others > 0 {
        more.push(("Chain", format!("{others} more certificate(s)")));
    }

    view! {
        <dl class="certificate-details">
            {rows.unwrap_or_default().into_iter().chain(more).map(|(term, value)| view! {
                <div>
                    <dt>{term}</dt>
                    <dd data-detail=term>{value}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}
