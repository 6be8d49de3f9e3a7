// libFuzzer target: a customer export read by the CSV source and selected by the engine (partitions, the temporary
// file, the merge of runs) must give exactly what the reference selection (`WhoIsTold`, a dictionary, a sort) gives.
// Built by .ci/fuzz; not part of the SwiftPM package.
import CustomersCSV
import Foundation
import NotifyCore
import NotifyEngine
import PolicyModel

/// Categories a–e; change X touches a (everyone), change Y b and c (the app's customers), change Z d (residents of
/// California), change W a and e (webshop customers in the EEA). The version takes effect on 2027-01-01.
let fuzzPlan = NotifyPlan(
    changes: [
        NoticeChange(id: "X", categories: 0b00001), NoticeChange(id: "Y", categories: 0b00110, services: 0b010),
        NoticeChange(id: "Z", categories: 0b01000, regions: 0b0100),
        NoticeChange(id: "W", categories: 0b10001, services: 0b001, regions: 0b0001),
    ],
    effective: CalendarDate("2027-01-01")!,
    vocabulary: Vocabulary(
        categories: ["a", "b", "c", "d", "e"], languages: ["en", "nl"], services: ["webshop", "app", "kiosk"],
        regions: ["EEA", "NL", "US-CA", "US"]))

/// One file a process, rewritten for every input (in memory where /dev/shm exists).
let fuzzExport: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return (folder as NSString).appendingPathComponent("policyc-fuzz-notify-\(getpid()).csv")
}()

/// The first byte chooses the engine's partitioning (1 to 128 partitions, blocks of 32 bytes to 4 KB, so small
/// inputs spill and merge several runs) and whether the input brings its own header; the rest is the export.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotifyEngine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let knobs = data[0]
    let partitionBits = Int(knobs & 7)
    let blockSize = 32 << Int((knobs >> 3) & 7)
    var bytes: [UInt8] =
        knobs & 0x80 != 0 ? [] : Array("email,name,language,collected,categories,status,services,region\n".utf8)
    bytes += UnsafeBufferPointer(start: data + 1, count: size - 1)
    guard FileManager.default.createFile(atPath: fuzzExport, contents: Data(bytes)) else {
        fatalError("cannot write \(fuzzExport)")
    }
    var source = CSVCustomerSource(path: fuzzExport, settings: NotifySettings())
    source.chunkSize = 64 << Int((knobs >> 6) & 1)
    let selector = PartitionedSelector(partitionBits: partitionBits, blockSize: blockSize)
    let engine = Result { try selector.select(plan: fuzzPlan, source: source) }
    let reference = Result { try ReferenceSelector().select(plan: fuzzPlan, source: source) }
    switch (engine, reference) {
    case (.failure(let a), .failure(let b)):
        precondition("\(a)" == "\(b)", "the engine and the reference stopped on different errors")
    case (.success(let engine), .success(let reference)):
        precondition(engine.counts == reference.counts, "counts differ")
        precondition(engine.counts.outcomes == engine.counts.rows, "outcomes do not add up to the rows")
        precondition(engine.categoriesAssumed == reference.categoriesAssumed, "categories assumed differ")
        precondition(engine.rejects == reference.rejects, "rejects differ")
        precondition(engine.byLanguage == reference.byLanguage, "recipients per language differ")
        var told: [NotifyCore.Recipient] = []
        do {
            try engine.forEachRecipient { told.append($0) }
        } catch {
            fatalError("the engine's runs could not be read: \(error)")
        }
        precondition(told == reference.recipients, "recipients differ")
    default:
        preconditionFailure("one of the engine and the reference stopped on an error, the other did not")
    }
    return 0
}
