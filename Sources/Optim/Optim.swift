/// The optimizer layer: SGD, Adam, AdamW, gradient clipping, schedules and initializers.
public enum Optim {}
