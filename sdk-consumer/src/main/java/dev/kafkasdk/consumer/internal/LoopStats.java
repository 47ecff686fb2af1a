package dev.kafkasdk.consumer.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Figures one poll loop publishes for gauges; written by the poll thread, read by anyone. */
final class LoopStats {
  final AtomicInteger inFlight = new AtomicInteger();
  // The loop's in-flight limit in force (FlowWindow); 0 for loops without one.
  final AtomicInteger inFlightLimit = new AtomicInteger();
  final AtomicInteger highWaterInFlight = new AtomicInteger();
  final AtomicInteger queued = new AtomicInteger();
  final AtomicInteger paused = new AtomicInteger();
  final AtomicInteger userPaused = new AtomicInteger();
  final AtomicInteger retryWaiting = new AtomicInteger();
  final AtomicLong lag = new AtomicLong();

  void inFlight(int value) {
    inFlight.set(value);
    highWaterInFlight.accumulateAndGet(value, Math::max);
  }
}
