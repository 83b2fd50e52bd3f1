/** The meeting screens' words join the translations as soon as any of these screens is loaded. */
import { addMessages } from '../shared/i18n';
import { enGBMeeting } from '../shared/i18n/en-GB.meeting';
import { enGBRelay } from '../shared/i18n/en-GB.relay';

addMessages(enGBMeeting);
addMessages(enGBRelay);
