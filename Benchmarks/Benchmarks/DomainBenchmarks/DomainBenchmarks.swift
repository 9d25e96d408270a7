import Benchmark
import CMEAudit
import CMEDomain

/// Each benchmark's work is made once, outside the measured loop, from a
/// fixed seed: the same input on every run.
let benchmarks: @Sendable () -> Void = {
  let config = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], warmupIterations: 1,
    maxDuration: .seconds(5), maxIterations: 50)

  // A deletion-returns file of 10,000 rows like a real year's (as
  // scripts/benchmark.py writes them): read, checked and decided.
  let returns = Inputs.deletionReturns(rows: 10_000)
  Benchmark("Deletion returns: 10,000 rows read and checked", configuration: config) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try DeletionReturnFile.read(csv: returns, file: "returns.csv", today: Inputs.today))
    }
  }
  Benchmark("CSV: 10,000 rows split into fields", configuration: config) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try CSVReader.parse(returns)) }
  }

  // The register check's export: 10,000 lines of cells, names and notes among them.
  let lines = Inputs.exportLines(10_000)
  Benchmark("CSV: 10,000 export lines written", configuration: config) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(CSVWriter.rows(lines)) }
  }

  // Every case of a 20,000-child demo register, assessed: clocks, school
  // days missed, enquiries outstanding and the RAG suggestion.
  let facts = Inputs.caseFacts(children: 20_000)
  Benchmark("Assessment: \(facts.count) demo cases (clocks and RAG suggestion)", configuration: config) {
    benchmark in
    for _ in benchmark.scaledIterations {
      for f in facts { blackHole(assessCase(f, today: Inputs.today, calendar: .englandDefault)) }
    }
  }

  // The audit log: entries sealed onto the chain, and a batch checked as
  // `cme audit verify` checks the stored log.
  let entries = Inputs.auditEntries(4_096)
  Benchmark("Audit: 4,096 entries sealed", configuration: config) { benchmark in
    for _ in benchmark.scaledIterations {
      var previous = Digest.zero
      for e in entries {
        let sealed = AuditChain.seal(e, after: previous)
        previous = sealed.hash
      }
      blackHole(previous)
    }
  }
  let batch = Inputs.batch(Inputs.sealed(entries))
  Benchmark("Audit: 4,096 stored entries checked (digests on every core)", configuration: config) { benchmark in
    for _ in benchmark.scaledIterations {
      let digests = batch.digests()
      var verifier = ChainVerifier()
      for i in 0..<batch.count { precondition(verifier.check(batch, entry: i, digests: digests) == nil) }
      blackHole(verifier.previousHash)
    }
  }
}
