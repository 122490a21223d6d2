//! The JSON Schema (draft 2020-12) of a plan, for editors: `kehoach schema` prints it, and a plan
//! that names it in `"$schema"` gets completion and checking in VS Code and others.
//!
//! Most of it is derived from the model (`#[derive(JsonSchema)]`, with a Vietnamese description on
//! every field). The types with hand-written deserializers get hand-written schemas here, so that the
//! schema accepts exactly the shapes the loader accepts:
//! - [`Text`]: a string;
//! - [`Lines`]: a string, or an array of strings;
//! - [`Ngay`]: a string `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the loader also checks that the day exists);
//! - [`Node`]: a string (a paragraph), or an object (`MucDayDu`);
//! - [`NoiNhanMuc`]: a string, or a group object.

use crate::plan::model::{Lines, Ngay, Node, NodeFields, NhomNoiNhan, NoiNhanMuc, Plan, Text};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// The regular expression of a date in the plan.
pub const NGAY_PATTERN: &str = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";

/// The schema of a plan, as JSON.
pub fn plan_schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<Plan>();
    schema.to_value()
}

/// The schema of a plan, pretty-printed.
pub fn plan_schema_string() -> String {
    let mut s = serde_json::to_string_pretty(&plan_schema()).expect("a schema serialises");
    s.push('\n');
    s
}

impl JsonSchema for Text {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

impl JsonSchema for Lines {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Lines".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                { "type": "string", "description": "Một chuỗi; mỗi lần xuống dòng (\\n) là một dòng hoặc một đoạn mới." },
                { "type": "array", "items": { "type": "string" }, "description": "Danh sách dòng hoặc đoạn văn." }
            ]
        })
    }
}

impl JsonSchema for Ngay {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Ngay".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": NGAY_PATTERN,
            "examples": ["2026-02-05", "2026"]
        })
    }
}

impl JsonSchema for Node {
    fn schema_name() -> Cow<'static, str> {
        "Muc".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let full = g.subschema_for::<NodeFields>();
        json_schema!({
            "description": "Một mục của nội dung: một chuỗi (một đoạn văn, đánh số theo cấp) hoặc một đối tượng đầy đủ.",
            "anyOf": [
                { "type": "string", "description": "Một đoạn văn; có thể dùng *nghiêng* và **đậm**." },
                full
            ]
        })
    }
}

impl JsonSchema for NoiNhanMuc {
    fn schema_name() -> Cow<'static, str> {
        "NoiNhanMuc".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let group = g.subschema_for::<NhomNoiNhan>();
        json_schema!({
            "description": "Một nơi nhận (chuỗi, ví dụ “UBND tỉnh”) hoặc một nhóm nơi nhận chung ghi chú.",
            "anyOf": [
                { "type": "string", "description": "Tên nơi nhận, không gõ gạch đầu dòng và dấu câu cuối." },
                group
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every property of every object in the schema, with its path.
    fn properties(v: &serde_json::Value, path: &str, out: &mut Vec<(String, serde_json::Value)>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Object(props)) = m.get("properties") {
                    for (k, p) in props {
                        out.push((format!("{path}.{k}"), p.clone()));
                    }
                }
                for (k, c) in m {
                    properties(c, &format!("{path}/{k}"), out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    properties(c, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_field_has_a_vietnamese_description() {
        let s = plan_schema();
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        let mut props = Vec::new();
        properties(&s, "", &mut props);
        assert!(props.len() > 40, "{}", props.len());
        for (path, p) in props {
            let d = p["description"].as_str().unwrap_or_else(|| panic!("{path} has no description"));
            // Vietnamese: at least one letter outside ASCII.
            assert!(d.chars().any(|c| !c.is_ascii()), "{path}: {d}");
        }
    }

    #[test]
    fn objects_refuse_unknown_keys_and_allow_schema() {
        let s = plan_schema();
        assert_eq!(s["additionalProperties"], false);
        assert!(s["properties"]["$schema"].is_object());
        for (name, def) in s["$defs"].as_object().unwrap() {
            if def.get("properties").is_some() {
                assert_eq!(def["additionalProperties"], false, "{name}");
            }
        }
    }
}
