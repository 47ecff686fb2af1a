/**
 * Implementation of the consumer runners: the poll loop, offset tracking, dispatch and metrics.
 *
 * <p>Not API: these types may change in any release and must not be imported by applications.
 */
package dev.kafkasdk.consumer.internal;
