import PolicyBase
import PolicyModel

/// Publishing: a pure map from the compiled versions to the site's paths and bytes (docs/publish.md).
public enum Publish {
    /// The default output folder of `policyc publish`.
    public static let defaultOutput = "Output/site"
}
