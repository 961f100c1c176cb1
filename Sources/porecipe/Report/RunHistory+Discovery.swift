import Foundation

extension RunHistory {
  /// The runs under `path`: a run directory is one run; a directory of `seed-N` run
  /// directories (as `porecipe run --seeds` writes) is its runs by seed.
  static func runs(at path: String) throws(ReportError) -> [RunHistory] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .unreadable(path: path, reason: "no such directory")
    }
    guard isDirectory.boolValue else { throw .notARun(path: path) }
    let url = URL(fileURLWithPath: path)
    if FileManager.default.fileExists(atPath: url.appendingPathComponent(RunRecorder.marker).path) {
      return [try RunHistory(directory: path)]
    }
    let seeds = seedDirectories(in: path)
    guard !seeds.isEmpty else { throw .notARun(path: path) }
    var runs: [RunHistory] = []
    for name in seeds { runs.append(try RunHistory(directory: url.appendingPathComponent(name).path)) }
    return runs
  }

  /// The `seed-N` subdirectories of `path` that are run directories, by N.
  static func seedDirectories(in path: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    let url = URL(fileURLWithPath: path)
    return names.compactMap { name -> (Int, String)? in
      guard name.hasPrefix("seed-"), let n = Int(name.dropFirst(5)),
            FileManager.default.fileExists(atPath: url.appendingPathComponent(name).appendingPathComponent(RunRecorder.marker).path)
      else { return nil }
      return (n, name)
    }.sorted { $0.0 < $1.0 }.map(\.1)
  }
}
