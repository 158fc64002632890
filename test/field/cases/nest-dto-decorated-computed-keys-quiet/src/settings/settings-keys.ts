export enum SettingKey {
  MAIL_HOST = 'MAIL_HOST',
  MAIL_PORT = 'MAIL_PORT',
  SSO_ISSUER = 'SSO_ISSUER',
}
