//! Decimal text of `f64` values with a fixed number of digits after the point.
//!
//! The app formats its few floating-point numbers here, with integer arithmetic, and never
//! with `{}` or `{:.N}` on an `f64`. Either one links core's float-to-decimal code, which
//! made up 7.8 KB of the app's wasm as brotli (release build, brotli -q 11).

/// Largest number of digits after the point that [`format_fixed`] accepts. With at most 3,
/// the arithmetic fits in `u64`, which saved 2.7 KB of brotli in the app against `u128`.
pub const MAX_DECIMALS: u32 = 3;

/// Formats `value` with `decimals` digits after the point, the same text as
/// `format!("{value:.decimals$}")`: rounded half to even on the exact binary value, `-` on
/// negative values including `-0.0`, and `NaN`, `inf` and `-inf`.
///
/// `decimals` above [`MAX_DECIMALS`] are treated as [`MAX_DECIMALS`].
/// NOTE: magnitudes of 2^64 (about 1.8e19) or more come out as 2^64 − 1, where core prints
/// every digit. No duration or pixel size gets near that.
pub fn format_fixed(value: f64, decimals: u32) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value.is_infinite() {
        return format!("{sign}inf");
    }
    let decimals = decimals.min(MAX_DECIMALS);
    let scale = 10u64.pow(decimals);
    let magnitude = value.abs();

    // From 2^53 on every f64 is a whole number, which `as` converts exactly below 2^64.
    let (whole, fraction) = if magnitude >= 9_007_199_254_740_992.0 {
        (magnitude as u64, 0)
    } else {
        let units = scaled_units(magnitude, scale);
        (units / scale, units % scale)
    };

    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    let width = decimals as usize;
    format!("{sign}{whole}.{fraction:0width$}")
}

/// Returns `magnitude × scale` rounded half to even to a whole number, for a finite
/// `magnitude` below 2^53 and a `scale` of at most 10^3.
fn scaled_units(magnitude: f64, scale: u64) -> u64 {
    // magnitude = mantissa × 2^exponent, read from the IEEE 754 bits.
    let bits = magnitude.to_bits();
    let biased_exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction_bits = bits & ((1u64 << 52) - 1);
    let (mantissa, exponent) = if biased_exponent == 0 {
        (fraction_bits, -1074)
    } else {
        (fraction_bits | (1u64 << 52), biased_exponent - 1075)
    };
    // Below 2^53 the exponent is at most 0, and mantissa × scale is below 2^63.
    let scaled = mantissa * scale;
    let shift = exponent.unsigned_abs();
    if shift == 0 {
        return scaled;
    }
    if shift >= 64 {
        // The value × scale is below 2^63 / 2^64, under one half.
        return 0;
    }
    let truncated = scaled >> shift;
    let remainder = scaled & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    let round_up = remainder > half || (remainder == half && truncated % 2 == 1);
    truncated + u64::from(round_up)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `format_fixed` writes what core's formatting writes.
    fn assert_like_core(value: f64, decimals: u32) {
        let width = decimals as usize;
        assert_eq!(
            format_fixed(value, decimals),
            format!("{value:.width$}"),
            "{value:e} with {decimals} decimals"
        );
    }

    #[test]
    fn table_of_cases() {
        let values = [
            0.0,
            -0.0,
            1.0,
            0.05,
            0.15,
            0.25,
            0.35,
            0.45,
            0.5,
            1.5,
            2.5,
            -0.04,
            -2.5,
            90.5,
            133.333_333_333_333_34,
            1e-300,
            f64::MIN_POSITIVE,
            5e-324,
            4_503_599_627_370_495.5,
            9_007_199_254_740_991.0,
            9_007_199_254_740_993.0,
            1e19,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for value in values {
            for decimals in 0..=MAX_DECIMALS {
                assert_like_core(value, decimals);
            }
        }
    }

    #[test]
    fn every_millisecond_duration() {
        // The CSV export writes durations of whole milliseconds with one decimal.
        for milliseconds in 0..200_000u32 {
            assert_like_core(f64::from(milliseconds) / 1000.0, 1);
        }
    }

    #[test]
    fn chart_coordinates() {
        // The results chart draws fractions of a 400-unit bar, starting at 190.
        for denominator in 1..200u32 {
            for numerator in 0..=denominator {
                let fraction = f64::from(numerator) / f64::from(denominator);
                assert_like_core(190.0 + fraction * 400.0, 2);
            }
        }
    }

    #[test]
    fn pseudo_random_bits() {
        // A fixed xorshift sequence over all exponents, kept to finite values below 2^64.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let value = f64::from_bits(state);
            if value.is_finite() && value.abs() < 1.8e19 {
                assert_like_core(value, (state % 4) as u32);
            }
        }
    }

    #[test]
    fn huge_values_saturate() {
        assert_eq!(format_fixed(1e20, 0), "18446744073709551615");
        assert_eq!(format_fixed(-1e20, 1), "-18446744073709551615.0");
    }

    #[test]
    fn decimals_capped() {
        assert_eq!(format_fixed(0.5, 20), format!("{:.3}", 0.5));
    }
}
