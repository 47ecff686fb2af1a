/**
 * ksdk's commands: one class per command group ({@code topics}, {@code group}) listing its leaf
 * commands, one class per leaf command. Not an API; see sdk-cli/README.md to add one.
 */
package dev.kafkasdk.cli.internal.commands;
