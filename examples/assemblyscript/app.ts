// An AssemblyScript module calling a host function (env.log_f64, built into the board firmware from host.c).
@external("env", "log_f64")
declare function logF64(x: f64): void;

// Newton's method for the square root, logging each step.
export function newton_sqrt(x: f64, steps: i32): f64 {
  let guess = x / 2;
  for (let i = 0; i < steps; i++) {
    guess = (guess + x / guess) / 2;
    logF64(guess);
  }
  return guess;
}

export function fib(n: i32): i64 {
  let a: i64 = 0;
  let b: i64 = 1;
  for (let i = 0; i < n; i++) {
    const t = a + b;
    a = b;
    b = t;
  }
  return a;
}
