//! Starter plans printed by `kehoach new`: small, complete plans that render as they are, one per
//! regime, for staff to fill in.

use crate::plan::model::Regime;

pub fn for_regime(r: Regime) -> &'static str {
    match r {
        Regime::Nd30 => include_str!("starter/nd30.json"),
        Regime::Hd05 => include_str!("starter/hd05.json"),
        Regime::Hd36 => include_str!("starter/hd36.json"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_parses_and_renders() {
        let engine = crate::Engine::new(None).unwrap();
        for r in Regime::ALL {
            let plan = crate::plan::load::parse_plan(for_regime(r)).unwrap_or_else(|e| panic!("{r:?}: {e}"));
            assert_eq!(plan.the_thuc, r);
            let bytes = engine.docx(&plan).unwrap_or_else(|e| panic!("{r:?}: {e}"));
            assert!(bytes.starts_with(b"PK"));
        }
    }
}
