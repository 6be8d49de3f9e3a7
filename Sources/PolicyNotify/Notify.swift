import PolicyBase

/// Notification: which customers a version's `notify` changes concern, and what to tell them (docs/notify.md).
public enum Notify {}
