import PolicyBase
import PolicyNotify

/// Reads a shop's customer export (CSV) as a stream of customers for `policyc notify`.
public enum CustomersCSV {}
