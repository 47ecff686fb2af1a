/**
 * ksdk's plumbing shared by every command: the top command, shared options, output (table or JSON),
 * exit codes, error reporting and a progress bar. Not an API.
 */
package dev.kafkasdk.cli.internal;
