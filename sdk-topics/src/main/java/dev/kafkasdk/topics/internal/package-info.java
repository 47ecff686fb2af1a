/** Implementation of the topics module. Not API: may change in any release. */
package dev.kafkasdk.topics.internal;
