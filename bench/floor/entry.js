// The floor: the fixed dependencies of the tablet built on their own, each used so none is shaken out, and
// only what the app uses of each (of @xstate/react, useSelector: the meeting's screens read their machines).
import { useSelector } from '@xstate/react';
import Dexie from 'dexie';
import { createElement, useState } from 'react';
import { createRoot } from 'react-dom/client';
import SignaturePad from 'signature_pad';
import { Workbox } from 'workbox-window';
import { createActor, createMachine } from 'xstate';

window.__floor = {
  createRoot,
  createElement,
  useState,
  Dexie,
  createMachine,
  createActor,
  useSelector,
  SignaturePad,
  Workbox,
};
