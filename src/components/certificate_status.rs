//! The view of the browser's check of the picked PFX file with the typed password.

use std::time::Duration;

use leptos::prelude::*;
use restore_core::certificate_check::CertificateReport;

use crate::certificate_module;
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
                        file.as_ref().map(|file| {
                            certificate_module::check(file.pfx.expose(), password, now_secs)
                        })
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
fn CheckView(check: CertificateReport) -> impl IntoView {
    let password_class = check.password_severity.class();
    view! {
        <div class="certificate-check" id="certificate-check" aria-live="polite">
            {check.password_message.map(|message| view! {
                <p class=format!("verdict {password_class}") id="certificate-password-verdict">{message}</p>
            })}
            {check.problem.map(|problem| view! {
                <p class="notice error" id="certificate-problem">{problem}</p>
            })}
            {check.details.map(|rows| view! {
                <dl class="certificate-details">
                    {rows.into_iter().map(|(term, value)| view! {
                        <div>
                            <dt>{term.clone()}</dt>
                            <dd data-detail=term>{value}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            })}
            {(!check.warnings.is_empty()).then(|| view! {
                <ul class="certificate-warnings">
                    {check.warnings.into_iter().map(|warning| view! { <li>{warning}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}
