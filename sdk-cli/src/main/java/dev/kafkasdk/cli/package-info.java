/**
 * {@code ksdk}, the operator tool: {@link dev.kafkasdk.cli.Ksdk} is its only public type. Its
 * commands live in {@code dev.kafkasdk.cli.internal.commands}; see docs/cli.md.
 */
package dev.kafkasdk.cli;
