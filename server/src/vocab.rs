//! Stored vocabularies: enums whose values are stored as text columns and named the same
//! way in the API, the forms and the catalogs (`course_status.published`). One macro makes
//! each, so a column, a form value and a JSON field can never disagree on a spelling.

/// Declares a vocabulary enum: `as_str`/`parse` for forms and JSON, `ALL`/`NAMES` for
/// pickers, and sea-orm's `DeriveValueType` so an entity column holds the enum itself
/// (stored as text; an unknown stored value is an error, never a silent default).
macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            sea_orm::DeriveValueType,
        )]
        #[sea_orm(value_type = "String")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every stored name, in display order.
            pub const NAMES: &'static [&'static str] = &[$($s),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            /// Parses a stored name.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| $crate::vocab::UnknownValue(s.to_owned()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    serde::de::Error::unknown_variant(&s, Self::NAMES)
                })
            }
        }
    };
}

pub(crate) use str_enum;

/// A stored value that is not in its vocabulary (a row written by something else).
#[derive(Debug, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);
