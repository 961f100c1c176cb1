import Core
import Optim

/// A multilayer-perceptron actor-critic for vector observations: an actor that maps an
/// observation to a distribution over actions and a critic that maps it to a value.
///
///     separate trunks (CleanRL's ppo.py):     shared trunk:
///       actor:  obs → [h → act]… → head         obs → [h → act]… ─┬→ policy head
///       critic: obs → [h → act]… → 1                               └→ value head
///
/// The head follows the action space: logits of a categorical for `.discrete(n)`, the mean
/// of a diagonal Gaussian with a state-independent learned log std (initially
/// `initialLogStd`) for `.box` — or, with `isStateDependent`, generalized state-dependent
/// exploration (gSDE, Raffin et al. 2022, arXiv:2005.05719): a learned log std matrix
/// `[h, d]` over the actor's last features z(s) (detached), σ(s)² = z(s)²·exp(2·log_std) + 1e-6,
/// and actions μ(s) + z(s)·E with a noise matrix E ~ N(0, exp(log_std)²) that the trainer
/// redraws every few steps (SB3's `StateDependentNoiseDistribution`, full_std, no expln). Initialization as CleanRL: orthogonal with gain √2 for hidden
/// layers, 0.01 for the policy head, 1 for the value head, zero biases.
/// - Papers: Schulman et al. 2017, PPO (arXiv:1707.06347); initialization after Andrychowicz
///   et al. 2020, "What matters in on-policy RL" (arXiv:2006.05990).
/// - Matches: CleanRL `ppo.py` / `ppo_continuous_action.py` `Agent` (layer_init).
public struct ActorCritic: Sendable, Hashable {
  /// The nonlinearity after each hidden layer.
  public enum Activation: String, Sendable, Hashable, CaseIterable { case tanh, relu }
  /// Whether actor and critic share their hidden layers.
  public enum Trunk: String, Sendable, Hashable, CaseIterable { case separate, shared }

  /// One parameter tensor: its name, graph shape and initializer.
  public struct Parameter: Sendable, Hashable {
    public let name: String
    /// The shape in the graph: weights are `[fanIn, fanOut]`, biases `[1, fanOut]`.
    public let shape: Shape
    public let initializer: Initializer
  }

  public let observationSize: Int
  public let actionSpace: ActionSpace
  /// Widths of the hidden layers, e.g. `[64, 64]`.
  public let hiddenSizes: [Int]
  public let activation: Activation
  public let trunk: Trunk
  /// The Gaussian head's initial log std (CleanRL: 0); unused for categorical heads.
  public let initialLogStd: Float
  /// Whether a Gaussian head explores state-dependently (gSDE); false for categorical heads.
  public let isStateDependent: Bool

  /// - Throws: `RuntimeError.invalidPolicy` for a non-positive size or an empty action space.
  public init(observationSize: Int, actionSpace: ActionSpace, hiddenSizes: [Int] = [64, 64],
              activation: Activation = .tanh, trunk: Trunk = .separate, initialLogStd: Float = 0,
              stateDependentExploration: Bool = false) throws(RuntimeError) {
    guard observationSize > 0 else { throw .invalidPolicy(reason: "observation size \(observationSize) must be positive") }
    guard actionSpace.width > 0 else { throw .invalidPolicy(reason: "the action space \(actionSpace) is empty") }
    guard hiddenSizes.allSatisfy({ $0 > 0 }) else { throw .invalidPolicy(reason: "hidden sizes \(hiddenSizes) must be positive") }
    guard initialLogStd.isFinite else { throw .invalidPolicy(reason: "initial log std \(initialLogStd) must be finite") }
    self.observationSize = observationSize
    self.actionSpace = actionSpace
    self.hiddenSizes = hiddenSizes
    self.activation = activation
    self.trunk = trunk
    self.initialLogStd = initialLogStd
    isStateDependent = stateDependentExploration && !actionSpace.isDiscrete
  }

  /// The width h of the features z(s) that gSDE's noise multiplies (the last hidden layer).
  public var explorationFeatures: Int { hiddenSizes.last ?? observationSize }

  /// Whether the head is a diagonal Gaussian (a `.box` action space).
  public var isGaussian: Bool { !actionSpace.isDiscrete }

  /// Every parameter in the order the graphs take them.
  ///
  /// Names: `actor.0.w`, `actor.0.b`, …, `actor.head.w/b`, `critic.0.w`, …, `critic.head.w/b`
  /// (separate) or `trunk.0.w`, …, `policy.w/b`, `value.w/b` (shared), then `log_std` [1, d]
  /// for a Gaussian head (`[h, d]` with gSDE).
  public var parameters: [Parameter] {
    let hiddenGain = Float(2).squareRoot()
    func mlp(_ prefix: String) -> [Parameter] {
      zip([observationSize] + hiddenSizes, hiddenSizes).enumerated().flatMap { layer, fans in
        linear("\(prefix).\(layer)", fans.0, fans.1, gain: hiddenGain)
      }
    }
    let last = hiddenSizes.last ?? observationSize
    var result: [Parameter]
    switch trunk {
    case .separate:
      result = mlp("actor") + linear("actor.head", last, actionSpace.width, gain: 0.01)
        + mlp("critic") + linear("critic.head", last, 1, gain: 1)
    case .shared:
      result = mlp("trunk") + linear("policy", last, actionSpace.width, gain: 0.01) + linear("value", last, 1, gain: 1)
    }
    if isGaussian {
      let rows = isStateDependent ? explorationFeatures : 1
      result.append(Parameter(name: "log_std", shape: [rows, actionSpace.width], initializer: .constant(initialLogStd)))
    }
    return result
  }

  private func linear(_ name: String, _ fanIn: Int, _ fanOut: Int, gain: Float) -> [Parameter] {
    [Parameter(name: "\(name).w", shape: [fanIn, fanOut], initializer: .orthogonal(gain: gain)),
     Parameter(name: "\(name).b", shape: [1, fanOut], initializer: .zeros)]
  }

  /// Fresh parameter tensors in `parameters` order, drawn from `rng` in that order.
  ///
  /// NOTE: orthogonal weights are drawn in torch's `[fanOut, fanIn]` layout (so the same
  /// draws give torch's matrix) and transposed into the graph's `[fanIn, fanOut]`.
  public func initialParameters(rng: inout Philox) throws(RuntimeError) -> [Tensor] {
    var tensors: [Tensor] = []
    for parameter in parameters {
      do {
        if case .orthogonal = parameter.initializer {
          let (fanIn, fanOut) = (parameter.shape[0], parameter.shape[1])
          let torchLayout = try parameter.initializer.tensor(shape: [fanOut, fanIn], rng: &rng)
          tensors.append(Self.transposed(torchLayout))
        } else {
          tensors.append(try parameter.initializer.tensor(shape: parameter.shape, rng: &rng))
        }
      } catch {
        throw .optim(error)
      }
    }
    return tensors
  }

  static func transposed(_ matrix: Tensor) -> Tensor {
    let (rows, columns) = (matrix.shape[0], matrix.shape[1])
    var result = Tensor(zeros: [columns, rows])
    let source = matrix.floats, destination = result.mutableFloats()
    for i in 0..<rows { for j in 0..<columns { destination[j * rows + i] = source[i * columns + j] } }
    return result
  }
}
