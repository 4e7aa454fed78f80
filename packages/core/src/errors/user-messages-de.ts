import type { ErrorKind } from './kinds.ts';

/** The user messages in German, formal address (`Sie`), as the English ones say them. */
export const germanUserMessages: Readonly<Record<ErrorKind, string>> = {
  rate_limited: 'Der KI-Dienst erhält gerade zu viele Anfragen. Bitte versuchen Sie es gleich noch einmal.',
  quota_exhausted:
    'Der KI-Dienst hat sein Nutzungslimit erreicht. Bitte versuchen Sie es später noch einmal.',
  server: 'Beim KI-Dienst ist ein interner Fehler aufgetreten. Bitte versuchen Sie es noch einmal.',
  bad_gateway: 'Der KI-Dienst war nicht richtig erreichbar. Bitte versuchen Sie es noch einmal.',
  unavailable:
    'Der KI-Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es in Kürze noch einmal.',
  overloaded: 'Der KI-Dienst ist gerade überlastet. Bitte versuchen Sie es in Kürze noch einmal.',
  timeout: 'Der KI-Dienst hat zu lange für die Antwort gebraucht. Bitte versuchen Sie es noch einmal.',
  connection: 'Der KI-Dienst konnte nicht erreicht werden. Bitte versuchen Sie es noch einmal.',
  stream_interrupted:
    'Die Antwort wurde unterbrochen, bevor sie vollständig war. Bitte versuchen Sie es noch einmal.',
  conflict: 'Der KI-Dienst konnte die Anfrage gerade nicht verarbeiten. Bitte versuchen Sie es noch einmal.',
  bad_request: 'Die Anfrage konnte nicht verarbeitet werden. Bitte prüfen Sie, was gesendet wurde.',
  auth: 'Der KI-Dienst hat die übermittelten Zugangsdaten abgelehnt.',
  forbidden: 'Der KI-Dienst hat den Zugriff für diese Anfrage verweigert.',
  not_found: 'Das angefragte KI-Modell ist nicht verfügbar.',
  too_large: 'Die Anfrage ist für das KI-Modell zu lang. Bitte kürzen Sie sie.',
  unprocessable: 'Die Anfrage konnte nicht verarbeitet werden. Bitte prüfen Sie, was gesendet wurde.',
  empty: 'Der KI-Dienst hat eine leere Antwort geliefert. Bitte versuchen Sie es noch einmal.',
  malformed_json:
    'Der KI-Dienst hat eine Antwort im falschen Format geliefert. Bitte versuchen Sie es noch einmal.',
  schema_mismatch:
    'Der KI-Dienst hat eine Antwort im falschen Format geliefert. Bitte versuchen Sie es noch einmal.',
  refusal: 'Das KI-Modell hat es abgelehnt, diese Anfrage zu beantworten.',
  truncated: 'Die Antwort wurde abgeschnitten, bevor sie vollständig war.',
  content_filter: 'Die Anfrage oder ihre Antwort wurde von den Inhaltsrichtlinien des KI-Dienstes blockiert.',
  cancelled: 'Die Anfrage wurde abgebrochen.',
  unknown: 'Bei der Anfrage an den KI-Dienst ist etwas schiefgelaufen.',
};
