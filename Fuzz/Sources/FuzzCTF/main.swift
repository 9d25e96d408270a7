import CMEDomain
import Foundation
import FuzzSupport

// A Common Transfer File on any bytes, streamed as the store streams it:
// pupils, or one CTFProblem with its place and words.
Fuzz.run { bytes in
  do {
    try CTFFile.read(stream: InputStream(data: Data(bytes)), file: "fuzz.xml", today: Fuzz.today) { pupil in
      _ = pupil.caseReason
      _ = pupil.canonical
    }
  } catch let problem as CTFProblem {
    Fuzz.expectWords(line: problem.line, column: String(problem.column), message: problem.message)
  } catch {
    fatalError("a refusal that is not a CTFProblem: \(error)")
  }
}
