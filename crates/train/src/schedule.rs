//! The learning-rate schedule: linear warm-up from 0 to the peak rate, then linear or cosine decay to 0.

use serde::{Deserialize, Serialize};

/// How the rate falls after warm-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decay {
    Linear,
    Cosine,
}

/// Learning rate as a function of the optimiser step (0-based).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub peak: f64,
    pub warmup_steps: usize,
    pub total_steps: usize,
    pub decay: Decay,
}

impl Schedule {
    /// `total_steps` steps whose first `warmup_ratio` share (at least one step) warms up.
    pub fn with_warmup_ratio(peak: f64, warmup_ratio: f64, total_steps: usize, decay: Decay) -> Self {
        let warmup_steps = ((total_steps as f64 * warmup_ratio).round() as usize).max(1);
        Schedule { peak, warmup_steps, total_steps, decay }
    }

    pub fn lr(&self, step: usize) -> f64 {
        if step < self.warmup_steps {
            return self.peak * (step + 1) as f64 / self.warmup_steps as f64;
        }
        let span = self.total_steps.saturating_sub(self.warmup_steps).max(1) as f64;
        let progress = ((step - self.warmup_steps) as f64 / span).min(1.0);
        match self.decay {
            Decay::Linear => self.peak * (1.0 - progress),
            Decay::Cosine => self.peak * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warms_up_then_decays() {
        let s = Schedule { peak: 1.0, warmup_steps: 4, total_steps: 14, decay: Decay::Linear };
        assert_eq!(s.lr(0), 0.25);
        assert_eq!(s.lr(3), 1.0);
        assert_eq!(s.lr(4), 1.0);
        assert!((s.lr(9) - 0.5).abs() < 1e-12);
        assert_eq!(s.lr(14), 0.0);
        let c = Schedule { decay: Decay::Cosine, ..s };
        assert!((c.lr(9) - 0.5).abs() < 1e-12);
        assert!(c.lr(6) > s.lr(6));
    }
}
