/// PotteryKit: pottery's Redis containers and coordination tools for Swift.
public enum PotteryKit {
    /// The version of PotteryKit and pottery-cli.
    public static let version = "0.1.0"
}
